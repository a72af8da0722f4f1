// SPDX-License-Identifier: GPL-3.0-or-later
// A student seen as a teacher chooses its inference form (StudentTeacher::optimizeForInference):
// the embeddings after the choice equal those before it to the choice's criterion, whatever form
// was chosen; a form that cannot be built is reported and the student kept as trained; without a
// way to rebuild the student there is nothing to choose.

#include "jobs/StudentTeacher.h"
#include "students/StudentRegistry.h"

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <QtTest/QtTest>

#include <torch/torch.h>

using namespace ssondo;

class tst_StudentTeacher : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void chosenFormKeepsTheEmbeddings();
    void aFormThatCannotBeBuiltIsReported();
    void withoutRebuildNothingIsChosen();
};

namespace {

const StudentOptions kNarrow{0.4, 16};

StudentTeacher::Rebuild rebuildOf(StudentOptions o)
{
    return [o] { return StudentRegistry::instance().create("mn10", o); };
}

/// A width-0.4 mn student with random batch-norm statistics (fresh ones are 0 and 1), 2 s windows.
StudentTeacher studentTeacher(StudentTeacher::Rebuild rebuild)
{
    auto s = StudentRegistry::instance().create("mn10", kNarrow);
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(3);
    torch::NoGradGuard ng;
    for (const auto& m : s->modules())
        if (auto* bn = m->as<torch::nn::BatchNorm2d>()) {
            bn->running_mean.normal_(0, 0.3, gen);
            bn->running_var.uniform_(0.2, 3.0, gen);
        }
    return StudentTeacher(s, 2.0, "student-test", "test student", std::move(rebuild));
}

at::Tensor noise(std::int64_t clips, std::int64_t samples)
{
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(9);
    return at::randn({clips, samples}, gen, at::kFloat) * 0.1;
}

double relativeDifference(const at::Tensor& a, const at::Tensor& ref)
{
    const at::Tensor r = ref.to(at::kDouble);
    return ((a.to(at::kDouble) - r).abs().max() / r.abs().max()).item<double>();
}

} // namespace

void tst_StudentTeacher::chosenFormKeepsTheEmbeddings()
{
    StudentTeacher t = studentTeacher(rebuildOf(kNarrow));
    const at::Tensor wav = noise(3, 64000), shortWav = noise(1, 20000);
    const at::Tensor before = t.embed(wav), shortBefore = t.embed(shortWav);
    const std::string report = t.optimizeForInference();
    qInfo("%s", report.c_str());
    QVERIFY2(report.rfind("student ", 0) == 0 && report.find("as trained") != std::string::npos &&
                 report.find("batch norms folded, channels-last") != std::string::npos,
             report.c_str());
    QVERIFY2(report.find("not possible") == std::string::npos, report.c_str());
    // chooseForm's criterion (1e-4 of the scale); float32 forwards of either layout round to
    // ~1e-6 of it (tst_StudentForms), so this holds for whichever form was chosen.
    QVERIFY(relativeDifference(t.embed(wav), before) < 1e-4);
    QVERIFY(relativeDifference(t.embed(shortWav), shortBefore) < 1e-4);
}

void tst_StudentTeacher::aFormThatCannotBeBuiltIsReported()
{
    StudentTeacher t = studentTeacher(rebuildOf(StudentOptions{1.0, 16})); // wider than the student
    const at::Tensor wav = noise(2, 64000);
    const at::Tensor before = t.embed(wav);
    const std::string report = t.optimizeForInference();
    QVERIFY2(report.rfind("student as trained", 0) == 0 && report.find("not possible") != std::string::npos &&
                 report.find("features.0.0.weight") != std::string::npos,
             report.c_str());
    // The student as trained is kept (the report says so); its embeddings move by nothing or by
    // float32 rounding, should oneDNN pick another kernel for the warmed-up shape.
    QVERIFY(relativeDifference(t.embed(wav), before) < 1e-6);
}

void tst_StudentTeacher::withoutRebuildNothingIsChosen()
{
    StudentTeacher t = studentTeacher({});
    QCOMPARE(t.optimizeForInference(), std::string());
}

QTEST_GUILESS_MAIN(tst_StudentTeacher)
#include "tst_StudentTeacher.moc"
