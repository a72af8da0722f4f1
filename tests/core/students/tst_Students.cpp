// DyMN and ERes2Net: the reference parameter counts, and outputs equal to the reference
// implementation's on golden fixtures (tests/fixtures/students, see README there), in evaluation
// and training mode; all three students fold and average segments the same way; each trains.

#include "students/DyMN.h"
#include "students/ERes2Net.h"
#include "students/MappingHead.h"
#include "students/MobileNetV3.h"
#include "students/StateDict.h"
#include "students/StudentRegistry.h"

#include <QtTest/QtTest>
#include <torch/script.h>
#include <torch/torch.h>

using namespace ssondo;

class tst_Students : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parameterCounts_data();
    void parameterCounts();
    void matchesReference_data();
    void matchesReference();
    void segmentsFoldedTheSameWay_data();
    void segmentsFoldedTheSameWay();
    void forwardBackward_data();
    void forwardBackward();
    void registryLists();
};

void tst_Students::parameterCounts_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<qint64>("params");
    QTest::addColumn<qint64>("dim");
    QTest::newRow("mn10") << "mn10" << qint64(2971664) << qint64(960);
    QTest::newRow("dymn10") << "dymn10" << qint64(8643312) << qint64(960);
    QTest::newRow("eres2net") << "eres2net" << qint64(1368068) << qint64(1024);
}

void tst_Students::parameterCounts()
{
    QFETCH(QString, name);
    QFETCH(qint64, params);
    QFETCH(qint64, dim);
    auto s = StudentRegistry::instance().create(name.toStdString());
    QCOMPARE(parameterCount(*s), std::int64_t(params)); // reference/SSONDO.md
    QCOMPARE(s->embeddingDim(), std::int64_t(dim));
    s->eval();
    torch::NoGradGuard ng;
    QCOMPARE(s->forward(torch::randn({1, 1, 128, 624})).sizes().vec(), (std::vector<std::int64_t>{1, dim}));
}

void tst_Students::matchesReference_data()
{
    QTest::addColumn<QString>("fixture");
    QTest::newRow("DyMN width 0.25") << "dymn025";
    QTest::newRow("ERes2Net m_channels 8") << "eres2net_m8";
}

void tst_Students::matchesReference()
{
    QFETCH(QString, fixture);
    std::shared_ptr<StudentBackbone> model;
    if (fixture == "dymn025")
        model = std::make_shared<DyMNImpl>(DyMNOptions().width_mult(0.25));
    else
        model = std::make_shared<ERes2NetImpl>(ERes2NetOptions().m_channels(8));
    torch::jit::Module f = torch::jit::load(SSONDO_FIXTURE_DIR "/students/" + fixture.toStdString() + ".pt");
    std::map<std::string, at::Tensor> tensors;
    at::Tensor input, outEval, outTrain;
    for (const auto& b : f.named_buffers()) {
        if (b.name == "input")
            input = b.value;
        else if (b.name == "out_eval")
            outEval = b.value;
        else if (b.name == "out_train")
            outTrain = b.value;
        else {
            std::string key = b.name;
            for (size_t p; (p = key.find("__")) != std::string::npos;)
                key.replace(p, 2, ".");
            tensors[key] = b.value;
        }
    }
    // Every key of the reference maps one to one (strict), including BN and DyReLU buffers.
    const LoadReport r = loadStateDict(*model, tensors, /*strict=*/true, fixture.toStdString());
    QCOMPARE(r.loaded.size(), tensors.size());
    torch::NoGradGuard ng;
    model->eval();
    const at::Tensor yEval = model->forward(input);
    const double errEval = (yEval - outEval.squeeze(1)).abs().max().item<double>();
    model->train();
    const at::Tensor yTrain = model->forward(input);
    const double errTrain = (yTrain - outTrain.squeeze(1)).abs().max().item<double>();
    qInfo("%s: max abs difference to the reference, eval %.2e, train %.2e (output scale %.3f)",
          qPrintable(fixture), errEval, errTrain, outEval.abs().mean().item<double>());
    QVERIFY2(errEval < 1e-4, qPrintable(QString::number(errEval)));
    QVERIFY2(errTrain < 1e-4, qPrintable(QString::number(errTrain)));
}

void tst_Students::segmentsFoldedTheSameWay_data()
{
    QTest::addColumn<QString>("name");
    QTest::newRow("mn10") << "mn10";
    QTest::newRow("dymn10") << "dymn10";
    QTest::newRow("eres2net") << "eres2net";
}

void tst_Students::segmentsFoldedTheSameWay()
{
    QFETCH(QString, name);
    StudentOptions o;
    o.widthMult = 0.4;
    o.mChannels = 8;
    auto s = StudentRegistry::instance().create(name.toStdString(), o);
    s->eval();
    torch::NoGradGuard ng;
    torch::manual_seed(3);
    const at::Tensor mel = torch::randn({2, 3, 1, 128, 64}); // 2 clips × 3 segments
    const at::Tensor folded = embedSegments(*s, mel);
    QCOMPARE(folded.sizes().vec(), (std::vector<std::int64_t>{2, s->embeddingDim()}));
    for (int b = 0; b < 2; ++b) {
        const at::Tensor manual = (s->forward(mel[b][0].unsqueeze(0)) + s->forward(mel[b][1].unsqueeze(0)) +
                                   s->forward(mel[b][2].unsqueeze(0))) /
                                  3;
        QVERIFY(torch::allclose(folded[b], manual[0], 1e-4, 1e-5));
    }
}

void tst_Students::forwardBackward_data()
{
    segmentsFoldedTheSameWay_data();
}

void tst_Students::forwardBackward()
{
    QFETCH(QString, name);
    torch::manual_seed(0);
    StudentOptions o;
    o.widthMult = 0.4;
    o.mChannels = 8;
    auto s = StudentRegistry::instance().create(name.toStdString(), o);
    MappingHead h(MappingHeadOptions(s->embeddingDim(), 16));
    std::vector<at::Tensor> params = s->parameters();
    for (auto& p : h->parameters())
        params.push_back(p);
    torch::optim::Adam opt(params, torch::optim::AdamOptions(1e-3));
    const at::Tensor x = torch::randn({4, 1, 128, 64}), t = torch::randn({4, 16});
    s->train();
    h->train();
    auto loss = [&]() { return (1 - torch::cosine_similarity(h->forward(s->forward(x)), t, 1)).mean(); };
    const double before = loss().item<double>();
    for (int i = 0; i < 4; ++i) {
        opt.zero_grad();
        at::Tensor l = loss();
        l.backward();
        opt.step();
    }
    for (const auto& p : s->parameters())
        QVERIFY(!p.grad().defined() || torch::isfinite(p.grad()).all().item<bool>());
    QVERIFY(loss().item<double>() < before);
}

void tst_Students::registryLists()
{
    QStringList names;
    for (const auto& s : StudentRegistry::instance().list())
        names << QString::fromStdString(s.name);
    QCOMPARE(names, (QStringList{"mn10", "dymn10", "eres2net"}));
    QVERIFY_THROWS_EXCEPTION(std::exception, StudentRegistry::instance().create("resnet50"));
}

QTEST_GUILESS_MAIN(tst_Students)
#include "tst_Students.moc"
