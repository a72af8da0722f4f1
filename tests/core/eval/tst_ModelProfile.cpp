// SPDX-License-Identifier: GPL-3.0-or-later
// MAC counting from the operators as they run, against hand-computed counts; a TorchScript file is
// counted like a C++ module; a student's MACs scale with the clip length; serialised sizes; the
// per-block profile of each student (its blocks by name, MACs and parameters adding up exactly).

#include "eval/ModelProfile.h"
#include "students/StudentRegistry.h"

#include <QtTest/QtTest>
#include <numeric>
#include <torch/script.h>
#include <torch/torch.h>

using namespace ssondo;

class tst_ModelProfile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void convAndLinearMacs_data();
    void convAndLinearMacs();
    void nestedOperatorsCountOnce();
    void torchScriptTeacherIsCounted();
    void studentMacsScaleWithLength();
    void sizeAndLatency();
    void blocksOfEachStudent_data();
    void blocksOfEachStudent();
};

void tst_ModelProfile::convAndLinearMacs_data()
{
    QTest::addColumn<int>("cin");
    QTest::addColumn<int>("cout");
    QTest::addColumn<int>("kernel");
    QTest::addColumn<int>("stride");
    QTest::addColumn<int>("groups");
    QTest::newRow("3x3 stride 1") << 1 << 8 << 3 << 1 << 1;
    QTest::newRow("3x3 stride 2") << 4 << 6 << 3 << 2 << 1;
    QTest::newRow("5x5 depthwise") << 16 << 16 << 5 << 1 << 16;
    QTest::newRow("1x1 grouped") << 8 << 12 << 1 << 1 << 4;
}

void tst_ModelProfile::convAndLinearMacs()
{
    QFETCH(int, cin);
    QFETCH(int, cout);
    QFETCH(int, kernel);
    QFETCH(int, stride);
    QFETCH(int, groups);
    torch::nn::Conv2d conv(
        torch::nn::Conv2dOptions(cin, cout, kernel).stride(stride).padding(kernel / 2).groups(groups));
    const std::int64_t h = 20, w = 12;
    const std::int64_t ho = (h + 2 * (kernel / 2) - kernel) / stride + 1,
                       wo = (w + 2 * (kernel / 2) - kernel) / stride + 1;
    torch::nn::Linear fc(cout * ho * wo, 10);
    torch::NoGradGuard ng;
    const at::Tensor x = torch::randn({2, cin, h, w});
    const std::int64_t macs = countMacs([&] { fc->forward(conv->forward(x).flatten(1)); });
    const std::int64_t expected =
        2 * cout * ho * wo * (cin / groups) * kernel * kernel + 2 * (cout * ho * wo) * 10;
    QCOMPARE(macs, expected);
}

void tst_ModelProfile::nestedOperatorsCountOnce()
{
    // matmul of [3, 4, 5] by [5, 6] dispatches to mm inside: 3·4·6·5 MACs, counted once.
    const at::Tensor a = torch::randn({3, 4, 5}), b = torch::randn({5, 6});
    QCOMPARE(countMacs([&] { at::matmul(a, b); }), std::int64_t(3 * 4 * 6 * 5));
    // Element-wise work is not counted; nothing runs outside the call.
    QCOMPARE(countMacs([&] { (a * 2 + 1).relu(); }), std::int64_t(0));
    QCOMPARE(countMacs([] {}), std::int64_t(0));
}

void tst_ModelProfile::torchScriptTeacherIsCounted()
{
    // The committed TorchScript teacher fixture (packaging/export_teacher.py --tiny).
    const std::string path = SSONDO_FIXTURE_DIR "/teachers/tiny.pt";
    auto m = torch::jit::load(path);
    m.eval();
    torch::NoGradGuard ng;
    const int sr = int(m.attr("sample_rate").toInt());
    const double window = m.attr("window_seconds").toDouble();
    const at::Tensor wav = torch::randn({1, std::int64_t(sr * window)});
    const std::int64_t one = countMacs([&] { m.forward({wav}); });
    QVERIFY(one > 0);
    const std::int64_t two = countMacs([&] { m.forward({torch::randn({2, std::int64_t(sr * window)})}); });
    QCOMPARE(two, 2 * one); // batch of two: twice the work
}

void tst_ModelProfile::studentMacsScaleWithLength()
{
    auto mn = StudentRegistry::instance().create("mn10", StudentOptions{1.0, 16});
    mn->eval();
    torch::NoGradGuard ng;
    const std::int64_t tenSeconds = countMacs([&] { mn->forward(torch::randn({1, 1, 128, 624})); });
    const std::int64_t twenty = countMacs([&] { mn->forward(torch::randn({1, 1, 128, 1249})); });
    const std::int64_t efficientAt = countMacs([&] { mn->forward(torch::randn({1, 1, 128, 1000})); });
    // EfficientAT's model table: mn10 0.54 G MACs for 128 mels × 1000 frames (its 10 ms hop).
    QVERIFY2(std::abs(double(efficientAt) / 0.54e9 - 1.0) < 0.03, qPrintable(QString::number(efficientAt)));
    QVERIFY(std::abs(double(twenty) / double(tenSeconds) - 2.0) < 0.05);
}

void tst_ModelProfile::sizeAndLatency()
{
    torch::nn::Linear fc(100, 50); // 5050 float parameters
    const std::int64_t bytes = serializedBytes(*fc);
    QVERIFY2(bytes >= 5050 * 4 && bytes < 5050 * 4 + 4096, qPrintable(QString::number(bytes)));
    int calls = 0;
    const double ms = medianMilliseconds([&] { ++calls; }, 7, 2);
    QCOMPARE(calls, 9);
    QVERIFY(ms >= 0 && ms < 5);
}

void tst_ModelProfile::blocksOfEachStudent_data()
{
    QTest::addColumn<QString>("arch");
    QTest::addColumn<QStringList>("first");
    QTest::addColumn<QString>("last");
    QTest::addColumn<int>("blocks"); // with the outside row
    // MobileNetV3: the stem, 15 inverted residuals, the last 1×1 conv (EfficientAT's features.N).
    QTest::newRow("mn10") << "mn10" << QStringList{"features.0", "features.1"} << "features.16" << 18;
    // DyMN: in_c, 15 dynamic blocks, out_c.
    QTest::newRow("dymn10") << "dymn10" << QStringList{"in_c", "layers.0"} << "out_c" << 18;
    // ERes2Net: stem, five layers, four downsample+fusion blocks, the statistics pooling.
    QTest::newRow("eres2net") << "eres2net"
                              << QStringList{"conv1+bn1", "layer1", "layer2", "layer1_downsample+fuse_mode12"}
                              << "pooling" << 12;
}

void tst_ModelProfile::blocksOfEachStudent()
{
    QFETCH(QString, arch);
    QFETCH(QStringList, first);
    QFETCH(QString, last);
    QFETCH(int, blocks);
    auto student = StudentRegistry::instance().create(arch.toStdString(), StudentOptions{1.0, 16});
    student->eval();
    torch::NoGradGuard ng;
    const at::Tensor mel = torch::randn({1, 1, 128, 200});
    auto fn = [&] { student->forward(mel); };
    const BlockProfile p = profileBlocks(fn, 3, 1);
    QCOMPARE(int(p.blocks.size()), blocks);
    for (int i = 0; i < first.size(); ++i)
        QCOMPARE(QString::fromStdString(p.blocks[size_t(i)].name), first[i]);
    QCOMPARE(QString::fromStdString(p.blocks[p.blocks.size() - 2].name), last);
    QCOMPARE(p.blocks.back().name, std::string(BlockProfile::kOutside));
    // Every counted operator runs in exactly one row: the rows add up to the whole, exactly.
    std::int64_t macs = 0;
    double ms = 0;
    for (const BlockCost& b : p.blocks) {
        macs += b.macs;
        ms += b.milliseconds;
        QVERIFY(b.milliseconds >= 0);
    }
    QCOMPARE(macs, countMacs(fn));
    QCOMPARE(p.blocks.back().macs, std::int64_t(0)); // nothing counted runs between the blocks
    // Every parameter belongs to a block: none is left outside, and they add up.
    const std::vector<std::int64_t> params = blockParameters(*student, p.blocks);
    QCOMPARE(params.back(), std::int64_t(0));
    QCOMPARE(std::accumulate(params.begin(), params.end(), std::int64_t(0)), parameterCount(*student));
    QVERIFY(p.callMilliseconds > 0 && p.wholeMilliseconds > 0 && ms > 0);
}

QTEST_GUILESS_MAIN(tst_ModelProfile)
#include "tst_ModelProfile.moc"
