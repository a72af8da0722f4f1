// SPDX-License-Identifier: GPL-3.0-or-later
// Export and import of students: a PyTorch state dict with the reference key names that Python's
// torch.load reads and a test-only Python MobileNetV3 loads strictly and runs to the same
// embedding (1e-4); the wrapper and head files; the LibTorch archive; --init with classifier keys
// dropped and missing/unexpected keys reported.

#include "data/NpyFile.h"
#include "students/MappingHead.h"
#include "students/MobileNetV3.h"
#include "students/StateDict.h"
#include "students/StudentExport.h"
#include "students/StudentRegistry.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>
#include <nlohmann/json.hpp>
#include <torch/torch.h>

using namespace ssondo;

class tst_StudentExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pythonRoundTrip_data();
    void pythonRoundTrip();
    void exportedFilesReadBack();
    void readsPythonStateDictAndDropsClassifier();
};

static void randomiseBatchNorm(torch::nn::Module& m)
{
    torch::NoGradGuard ng;
    for (auto& sub : m.modules(false))
        if (auto* bn = sub->as<torch::nn::BatchNorm2d>()) {
            bn->running_mean.uniform_(-0.1, 0.1);
            bn->running_var.uniform_(0.5, 1.5);
            bn->weight.uniform_(0.8, 1.2);
            bn->bias.uniform_(-0.1, 0.1);
        }
}

void tst_StudentExport::pythonRoundTrip_data()
{
    QTest::addColumn<double>("width");
    QTest::newRow("mn10") << 1.0;
    QTest::newRow("mn04") << 0.4;
}

void tst_StudentExport::pythonRoundTrip()
{
    QFETCH(double, width);
    QTemporaryDir dir;
    torch::manual_seed(11);
    MobileNetV3 mn(MobileNetV3Options().width_mult(width));
    randomiseBatchNorm(*mn);
    MappingHead head(MappingHeadOptions(mn->embeddingDim(), 3840));
    exportStudent(dir.path().toStdString(), *mn, *head,
                  nlohmann::json{{"registry_name", "mn10"}, {"width", width}, {"m_channels", 16}}, 10.0);
    mn->eval();
    torch::NoGradGuard ng;
    const at::Tensor x = torch::randn({2, 1, 128, 200});
    const at::Tensor y = mn->forward(x).contiguous();
    NpyFile::write((dir.path() + "/input.npy").toStdString(), {2, 1, 128, 200},
                   x.contiguous().data_ptr<float>());

    QProcess p;
    p.start("/usr/bin/python3", {SSONDO_SOURCE_DIR "/tests/tools/roundtrip_mn.py", dir.path(),
                                 dir.path() + "/input.npy", dir.path() + "/output.npy"});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const QByteArray report = p.readAllStandardOutput();
    QVERIFY2(report.contains("\"missing\": 0, \"unexpected\": 0"), report.constData());
    const NpyArray out = NpyFile::read((dir.path() + "/output.npy").toStdString());
    QCOMPARE(out.shape, (std::vector<std::int64_t>{2, mn->embeddingDim()}));
    const at::Tensor py =
        torch::from_blob(const_cast<float*>(out.data.data()), {2, mn->embeddingDim()}).clone();
    const double err = (py - y).abs().max().item<double>();
    qInfo("width %.1f: Python forward of the exported weights vs C++: max abs difference %.2e", width, err);
    QVERIFY2(err < 1e-4, qPrintable(QString::number(err)));
}

void tst_StudentExport::exportedFilesReadBack()
{
    QTemporaryDir dir;
    for (const char* name : {"dymn10", "eres2net"}) {
        auto s = StudentRegistry::instance().create(name);
        MappingHead head(MappingHeadOptions(s->embeddingDim(), 64));
        const std::string d = (dir.path() + "/" + name).toStdString();
        exportStudent(d, *s, *head,
                      nlohmann::json{{"registry_name", name}, {"width", 1.0}, {"m_channels", 16}}, 1.0);
        // model.json states the window the student was trained on: 1 s → [1, 128, 61].
        const auto model = nlohmann::json::parse(std::ifstream(d + "/model.json"));
        QCOMPARE(model["front_end"]["segment_seconds"].get<double>(), 1.0);
        QCOMPARE(model["front_end"]["input_shape"][2].get<int>(), 61);
        // The PyTorch files read back with the same keys and shapes.
        const auto backbone = readPyTorchStateDict(d + "/backbone.pt");
        const auto own = stateDict(*s);
        QCOMPARE(backbone.size(), own.size());
        for (const auto& [k, t] : own)
            QVERIFY2(backbone.count(k) && backbone.at(k).sizes() == t.sizes(), k.c_str());
        const auto wrapper = readPyTorchStateDict(d + "/ssondo_wrapper.pt");
        QVERIFY(wrapper.count("classification_head.mlp.0.weight"));
        QVERIFY(wrapper.count("model." + own.begin()->first));
        QCOMPARE(readPyTorchStateDict(d + "/mapping_head.pt").at("mlp.3.weight").size(0), std::int64_t(64));
        // The LibTorch archive rebuilds the same network.
        auto back = loadExportedStudent(d);
        s->eval();
        torch::NoGradGuard ng;
        const at::Tensor x = torch::randn({1, 1, 128, 100});
        QVERIFY(torch::allclose(back->forward(x), s->forward(x)));
    }
}

void tst_StudentExport::readsPythonStateDictAndDropsClassifier()
{
    // A state dict as EfficientAT distributes it: backbone keys + classifier keys, written by Python.
    QTemporaryDir dir;
    const QString file = dir.path() + "/mn10_im.pt";
    QProcess p;
    p.start("/usr/bin/python3",
            {"-c",
             "import sys, torch; sys.path.insert(0, '" SSONDO_SOURCE_DIR "/tests/tools');"
             "import roundtrip_mn as r; m = r.MN(1.0); sd = m.state_dict();"
             "sd['classifier.2.weight'] = torch.zeros(1280, 960); sd['classifier.5.bias'] = torch.zeros(527);"
             "torch.save(sd, '" +
                 file + "')"});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    auto tensors = readPyTorchStateDict(file.toStdString());
    QVERIFY(tensors.count("classifier.5.bias"));
    MobileNetV3 mn;
    const LoadReport strictFails = [&] {
        try {
            return loadStateDict(*mn, tensors, true, "mn10_im.pt");
        } catch (const std::exception& e) {
            LoadReport r;
            r.unexpected.push_back(e.what());
            return r;
        }
    }();
    QVERIFY(!strictFails.unexpected.empty()); // classifier keys are unexpected in a backbone
    const LoadReport r = loadStateDict(*mn, tensors, false);
    QCOMPARE(r.missing.size(), size_t(0));
    QCOMPARE(r.unexpected.size(), size_t(2));
    QVERIFY(torch::equal(mn->named_parameters()["features.0.0.weight"], tensors.at("features.0.0.weight")));
}

QTEST_GUILESS_MAIN(tst_StudentExport)
#include "tst_StudentExport.moc"
