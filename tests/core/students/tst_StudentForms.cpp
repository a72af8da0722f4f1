// SPDX-License-Identifier: GPL-3.0-or-later
// The inference forms of a student (students/StudentForms.h): batch norms folded into their
// convolutions compute the same function, checked in float64 where the fold is exact up to
// rounding; the channels-last copy stays within the form-choice criterion of the float64
// reference; a folded batch norm refuses to train; a state copy between mismatched students names
// the key. Every student is tried, each with random running statistics (fresh ones are 0 and 1).

#include "students/StudentForms.h"
#include "students/StudentRegistry.h"
#include "students/SyncBatchNorm.h"

#include <ATen/CPUGeneratorImpl.h>
#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace ssondo;

class tst_StudentForms : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void foldingKeepsTheFunction_data();
    void foldingKeepsTheFunction();
    void channelsLastKeepsTheFunction_data() { foldingKeepsTheFunction_data(); }
    void channelsLastKeepsTheFunction();
    void foldedBatchNormRefusesToTrain();
    void mismatchedCopyNamesTheKey();
};

namespace {

/// A student with batch-norm statistics and affine parameters drawn from `seed`, in eval mode.
std::shared_ptr<StudentBackbone> randomised(const std::string& arch, const StudentOptions& o, std::uint64_t seed)
{
    auto s = StudentRegistry::instance().create(arch, o);
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
    torch::NoGradGuard ng;
    for (const auto& m : s->modules()) {
        if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
            bn->running_mean.normal_(0, 0.3, gen);
            bn->running_var.uniform_(0.2, 3.0, gen);
            bn->weight.uniform_(0.5, 1.5, gen);
            bn->bias.normal_(0, 0.2, gen);
        }
    }
    s->eval();
    return s;
}

std::shared_ptr<StudentBackbone> copyOf(const std::string& arch, const StudentOptions& o, const StudentBackbone& s)
{
    auto c = StudentRegistry::instance().create(arch, o);
    copyStudentState(s, *c);
    c->eval();
    return c;
}

int batchNormCount(torch::nn::Module& m)
{
    int n = 0;
    for (const auto& c : m.modules())
        n += c->as<SyncBatchNorm2dImpl>() != nullptr;
    return n;
}

double relativeDifference(const at::Tensor& a, const at::Tensor& ref)
{
    const at::Tensor r = ref.to(at::kDouble);
    return ((a.to(at::kDouble) - r).abs().max() / r.abs().max()).item<double>();
}

at::Tensor mel(std::int64_t batch, std::int64_t frames)
{
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(11);
    return at::randn({batch, 1, 128, frames}, gen, at::kFloat) - 3.0;
}

} // namespace

void tst_StudentForms::foldingKeepsTheFunction_data()
{
    QTest::addColumn<QString>("arch");
    QTest::addColumn<double>("width");
    QTest::addColumn<int>("mChannels");
    QTest::addColumn<bool>("foldsEvery"); // every batch norm follows a convolution in a Sequential
    QTest::newRow("mn width 0.4") << "mn10" << 0.4 << 16 << true;
    QTest::newRow("dymn width 0.25") << "dymn10" << 0.25 << 16 << false;
    QTest::newRow("eres2net m 8") << "eres2net" << 1.0 << 8 << false;
}

void tst_StudentForms::foldingKeepsTheFunction()
{
    QFETCH(QString, arch);
    QFETCH(double, width);
    QFETCH(int, mChannels);
    QFETCH(bool, foldsEvery);
    const StudentOptions o{width, mChannels};
    auto s = randomised(arch.toStdString(), o, 5);
    auto folded = copyOf(arch.toStdString(), o, *s);
    s->to(at::kDouble);
    folded->to(at::kDouble);
    const int bns = batchNormCount(*folded), n = foldBatchNorms(*folded);
    if (foldsEvery)
        QCOMPARE(n, bns);
    QVERIFY(n <= bns);
    QCOMPARE(foldBatchNorms(*folded), 0); // none twice
    torch::NoGradGuard ng;
    const at::Tensor x = mel(2, 96).to(at::kDouble);
    // In float64 the fold changes only the rounding: ~1e-16 per operation, grown by at most a few
    // decades through the network's conditioning. A wrong fold (ε left out: 1e-3 of σ², the shift
    // of a bias-free conv) moves the output by 1e-4 or more of its scale.
    const double d = relativeDifference(folded->forward(x), s->forward(x));
    QVERIFY2(d < 1e-10, qPrintable(QString("%1 of %2 batch norms folded; difference %3").arg(n).arg(bns).arg(d)));
}

void tst_StudentForms::channelsLastKeepsTheFunction()
{
    QFETCH(QString, arch);
    QFETCH(double, width);
    QFETCH(int, mChannels);
    const StudentOptions o{width, mChannels};
    auto s = randomised(arch.toStdString(), o, 6);
    auto cl = copyOf(arch.toStdString(), o, *s);
    foldBatchNorms(*cl);
    toChannelsLast(*cl);
    torch::NoGradGuard ng;
    const at::Tensor x = mel(3, 80);
    const at::Tensor out = cl->forward(x.contiguous(at::MemoryFormat::ChannelsLast));
    auto ref = copyOf(arch.toStdString(), o, *s);
    ref->to(at::kDouble);
    const at::Tensor r = ref->forward(x.to(at::kDouble));
    // Float32 against the float64 reference: these forwards round to ~1e-6 of the output's scale
    // whatever the kernel's summation order (both layouts are measured below); the criterion a form
    // must meet to be chosen (chooseForm) is 1e-4. A mis-strided weight gives an O(1) difference.
    const double dcl = relativeDifference(out, r), dplain = relativeDifference(s->forward(x), r);
    QVERIFY2(dcl < 1e-4, qPrintable(QString("channels-last %1, standard %2").arg(dcl).arg(dplain)));
    QVERIFY(dplain < 1e-4);
}

void tst_StudentForms::foldedBatchNormRefusesToTrain()
{
    auto s = randomised("mn10", StudentOptions{0.4, 16}, 7);
    foldBatchNorms(*s);
    s->train();
    QVERIFY_THROWS_EXCEPTION(c10::Error, s->forward(mel(2, 64)));
}

void tst_StudentForms::mismatchedCopyNamesTheKey()
{
    auto wide = StudentRegistry::instance().create("mn10", StudentOptions{1.0, 16});
    auto narrow = StudentRegistry::instance().create("mn10", StudentOptions{0.4, 16});
    try {
        copyStudentState(*wide, *narrow);
        QFAIL("copied a width-1.0 student into a width-0.4 one");
    } catch (const c10::Error& e) {
        QVERIFY2(QString(e.what()).contains("features.0.0.weight"), e.what());
    }
}

QTEST_GUILESS_MAIN(tst_StudentForms)
#include "tst_StudentForms.moc"
