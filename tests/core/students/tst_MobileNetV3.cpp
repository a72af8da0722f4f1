// SPDX-License-Identifier: GPL-3.0-or-later
// MobileNetV3 (mn10): the reference parameter count, shapes, EfficientAT key names, training step.

#include "students/MappingHead.h"
#include "students/MobileNetV3.h"
#include "students/StudentRegistry.h"

#include <QtTest/QtTest>
#include <torch/torch.h>

using namespace ssondo;

class tst_MobileNetV3 : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parameterCount();
    void widths_data();
    void widths();
    void shapes();
    void referenceKeyNames();
    void mappingHead();
    void trainsOneStep();
};

void tst_MobileNetV3::parameterCount()
{
    MobileNetV3 m;
    QCOMPARE(ssondo::parameterCount(*m), std::int64_t(2971664)); // reference/SSONDO.md
    QCOMPARE(m->embeddingDim(), std::int64_t(960));
    QCOMPARE(m->architecture(), std::string("mn10"));
}

void tst_MobileNetV3::widths_data()
{
    QTest::addColumn<double>("width");
    QTest::addColumn<qint64>("dim");
    QTest::addColumn<QString>("name");
    QTest::newRow("mn04") << 0.4 << qint64(384) << "mn04";
    QTest::newRow("mn10") << 1.0 << qint64(960) << "mn10";
    QTest::newRow("mn20") << 2.0 << qint64(1920) << "mn20";
}

void tst_MobileNetV3::widths()
{
    QFETCH(double, width);
    QFETCH(qint64, dim);
    QFETCH(QString, name);
    MobileNetV3 m(MobileNetV3Options().width_mult(width));
    QCOMPARE(m->embeddingDim(), std::int64_t(dim));
    QCOMPARE(QString::fromStdString(m->architecture()), name);
    m->eval();
    torch::NoGradGuard ng;
    QCOMPARE(m->forward(torch::randn({1, 1, 128, 100})).size(1), std::int64_t(dim));
}

void tst_MobileNetV3::shapes()
{
    MobileNetV3 m;
    m->eval();
    torch::NoGradGuard ng;
    const at::Tensor fm = m->featureMap(torch::randn({2, 1, 128, 624}));
    QCOMPARE(fm.sizes().vec(), (std::vector<std::int64_t>{2, 960, 4, 20})); // reference: 960 x 4 x 20
    QCOMPARE(m->forward(torch::randn({2, 1, 128, 624})).sizes().vec(), (std::vector<std::int64_t>{2, 960}));
    QVERIFY_THROWS_EXCEPTION(std::exception, m->forward(torch::randn({2, 128, 624})));
}

void tst_MobileNetV3::referenceKeyNames()
{
    MobileNetV3 m;
    std::set<std::string> keys;
    for (const auto& p : m->named_parameters())
        keys.insert(p.key());
    for (const auto& b : m->named_buffers())
        keys.insert(b.key());
    // EfficientAT's state-dict keys (models/mn/model.py, block_types.py).
    for (const char* k :
         {"features.0.0.weight", "features.0.1.running_var", "features.1.block.0.0.weight",
          "features.2.block.0.0.weight", "features.4.block.2.conc_se_layers.0.fc1.weight",
          "features.4.block.2.conc_se_layers.0.fc2.bias", "features.4.block.3.1.bias",
          "features.15.block.3.0.weight", "features.16.0.weight", "features.16.1.num_batches_tracked"})
        QVERIFY2(keys.count(k), k);
    // SE squeeze sizes: make_divisible(expanded / 4, 8): 72 → 24, 120 → 32, 480 → 120, 672 → 168, 960 → 240.
    auto params = m->named_parameters();
    QCOMPARE(params["features.4.block.2.conc_se_layers.0.fc1.weight"].size(0), std::int64_t(24));
    QCOMPARE(params["features.5.block.2.conc_se_layers.0.fc1.weight"].size(0), std::int64_t(32));
    QCOMPARE(params["features.11.block.2.conc_se_layers.0.fc1.weight"].size(0), std::int64_t(120));
    QCOMPARE(params["features.14.block.2.conc_se_layers.0.fc1.weight"].size(0), std::int64_t(240));
    auto bn = m->named_modules()["features.0.1"]->as<torch::nn::BatchNorm2d>();
    QVERIFY(bn);
    QCOMPARE(bn->options.eps(), 0.001);
    QCOMPARE(*bn->options.momentum(), 0.01);
}

void tst_MobileNetV3::mappingHead()
{
    MappingHead h(MappingHeadOptions(960, 3840));
    QCOMPARE(ssondo::parameterCount(*h), std::int64_t(6149120)); // reference/SSONDO.md
    h->eval();
    const at::Tensor seg = torch::randn({2, 3, 960});
    const at::Tensor out = h->forward(seg);
    QCOMPARE(out.sizes().vec(), (std::vector<std::int64_t>{2, 3840}));
    // Segments are mapped one by one, then averaged.
    const at::Tensor manual =
        (h->forward(seg.select(1, 0)) + h->forward(seg.select(1, 1)) + h->forward(seg.select(1, 2))) / 3;
    QVERIFY(torch::allclose(out, manual, 1e-5, 1e-6));
}

void tst_MobileNetV3::trainsOneStep()
{
    torch::manual_seed(0);
    MobileNetV3 m(MobileNetV3Options().width_mult(0.4));
    MappingHead h(MappingHeadOptions(m->embeddingDim(), 32));
    std::vector<at::Tensor> params = m->parameters();
    for (auto& p : h->parameters())
        params.push_back(p);
    torch::optim::Adam opt(params, torch::optim::AdamOptions(1e-3));
    const at::Tensor x = torch::randn({4, 1, 64, 100}), t = torch::randn({4, 32});
    auto loss = [&]() { return (1 - torch::cosine_similarity(h->forward(m->forward(x)), t, 1)).mean(); };
    m->train();
    h->train();
    const double before = loss().item<double>();
    for (int i = 0; i < 5; ++i) {
        opt.zero_grad();
        at::Tensor l = loss();
        l.backward();
        opt.step();
    }
    QVERIFY(loss().item<double>() < before);
    QVERIFY(StudentRegistry::instance().has("mn10"));
    QCOMPARE(StudentRegistry::instance().list()[0].parameters, std::int64_t(2971664));
}

QTEST_GUILESS_MAIN(tst_MobileNetV3)
#include "tst_MobileNetV3.moc"
