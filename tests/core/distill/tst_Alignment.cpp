// SPDX-License-Identifier: GPL-3.0-or-later
// The alignment sample and its snapshots: a seeded, cluster-stratified sample; float16 snapshots
// that keep tiny early outputs; scores against hand-computed cases.

#include "distill/Alignment.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <cmath>
#include <set>

using namespace ssondo;

class tst_Alignment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultSize();
    void sampleIsSeededAndStratified();
    void snapshotsKeepTinyOutputs();
    void scoresHandComputed();
    void mapPutsEachStudentWhereItsEmbeddingIs();
    void unionMapsShareOnePlane();
};

void tst_Alignment::defaultSize()
{
    QCOMPARE(AlignmentLog::defaultClips(64000), std::int64_t(2000)); // the cap
    QCOMPARE(AlignmentLog::defaultClips(3200), std::int64_t(200));   // a sixteenth
    QCOMPARE(AlignmentLog::defaultClips(5), std::int64_t(1));
}

void tst_Alignment::sampleIsSeededAndStratified()
{
    std::vector<std::int64_t> train;
    for (std::int64_t r = 0; r < 1000; r += 2)
        train.push_back(r);
    // Cluster 3 is rare (10 of 500 training rows): a plain draw of 40 would expect 0.8 of them.
    std::vector<std::int64_t> clusterOf(1000);
    for (std::int64_t r = 0; r < 1000; ++r)
        clusterOf[std::size_t(r)] = r < 20 ? 3 : r % 3;
    const auto a = AlignmentLog::chooseSample(train, clusterOf, 40, 42);
    QCOMPARE(a, AlignmentLog::chooseSample(train, clusterOf, 40, 42)); // seeded
    QVERIFY(a != AlignmentLog::chooseSample(train, clusterOf, 40, 43));
    QCOMPARE(int(a.size()), 40);
    QVERIFY(std::is_sorted(a.begin(), a.end()));
    std::map<std::int64_t, int> per;
    for (std::int64_t r : a) {
        QVERIFY(r % 2 == 0); // training rows only
        ++per[clusterOf[std::size_t(r)]];
    }
    QCOMPARE(per.size(), size_t(4));
    QCOMPARE(per[3], 10); // every cluster equally, as far as it has rows: 10 each
    QCOMPARE(per[0], 10);
    // Without clusters, a plain seeded draw; never more than there are.
    QCOMPARE(int(AlignmentLog::chooseSample(train, {}, 40, 1).size()), 40);
    QCOMPARE(int(AlignmentLog::chooseSample(train, {}, 4000, 1).size()), 500);
}

void tst_Alignment::snapshotsKeepTinyOutputs()
{
    QTemporaryDir dir;
    const AlignmentLog log(dir.path().toStdString());
    QVERIFY(!log.hasSample());
    QVERIFY_THROWS_EXCEPTION(InputError, log.sample());
    log.saveSample({4, 8, 15});
    QCOMPARE(log.sample(), (std::vector<std::int64_t>{4, 8, 15}));
    at::manual_seed(3);
    // A student's first outputs: 1e-7 in size, far below float16's smallest normal (6e-5).
    const at::Tensor tiny = at::randn({3, 64}) * 1e-7;
    const at::Tensor normal = at::randn({3, 64});
    at::Tensor withNan = normal.clone();
    withNan[1].fill_(NAN); // a clip that failed to decode
    log.save(0, tiny);
    log.save(7, withNan);
    QCOMPARE(log.epochs(), (std::vector<std::int64_t>{0, 7}));
    // float16 keeps 11 significant bits: each component within 2^-11 of the row's norm.
    const at::Tensor back = log.load(0);
    const double err = ((back - tiny).abs().max() / tiny.norm(2, 1).max()).item<double>();
    QVERIFY2(err < std::ldexp(1.0, -11), qPrintable(QString::number(err)));
    const at::Tensor b7 = log.load(7);
    QVERIFY(at::isnan(b7[1]).all().item<bool>());
    QVERIFY(at::allclose(b7[0], normal[0], 1e-3, 1e-3 * normal[0].abs().max().item<double>()));
}

void tst_Alignment::scoresHandComputed()
{
    // Four clips in 2-D; the student agrees exactly on clips 0 and 1 (cluster 0) and is at 90
    // degrees on clip 2 and at 60 degrees on clip 3 (cluster 1): cosines 1, 1, 0, 0.5.
    const at::Tensor teacher = at::tensor({1.0f, 0.0f, 0.0f, 1.0f, 1.0f, 1.0f, -1.0f, 0.0f}).view({4, 2});
    const at::Tensor student =
        at::tensor({2.0f, 0.0f, 0.0f, 3.0f, -1.0f, 1.0f, -0.5f, float(std::sqrt(3.0) / 2)}).view({4, 2});
    const AlignmentScores s = alignmentScores(5, teacher, student, {0, 0, 1, 1}, 1);
    QCOMPARE(s.epoch, std::int64_t(5));
    QCOMPARE(s.clips, std::int64_t(4));
    QVERIFY(std::abs(s.meanCosine - 2.5 / 4) < 1e-6);
    QCOMPARE(int(s.clusters.size()), 2);
    QCOMPARE(s.clusters[0].cluster, std::int64_t(1)); // worst first
    QVERIFY(std::abs(s.clusters[0].meanCosine - 0.25) < 1e-6);
    QVERIFY(std::abs(s.clusters[1].meanCosine - 1.0) < 1e-6);
    // The same embeddings: every neighbourhood the same.
    const AlignmentScores same = alignmentScores(0, teacher, teacher, {}, 2);
    QVERIFY(std::abs(same.meanCosine - 1) < 1e-6);
    QVERIFY(std::abs(same.knnOverlap - 1) < 1e-9);
    QVERIFY(same.clusters.empty());
    // A NaN row is left out, its cluster with it.
    at::Tensor broken = student.clone();
    broken[2].fill_(NAN);
    const AlignmentScores b = alignmentScores(1, teacher, broken, {0, 0, 1, 1}, 1);
    QCOMPARE(b.clips, std::int64_t(3));
    QVERIFY(std::abs(b.meanCosine - 2.5 / 3) < 1e-6);
    QCOMPARE(b.clusters[0].clips, std::int64_t(1));
    QVERIFY_THROWS_EXCEPTION(InputError, alignmentScores(0, teacher, student.narrow(0, 0, 3), {}, 1));
}

void tst_Alignment::mapPutsEachStudentWhereItsEmbeddingIs()
{
    // Teacher rows spread mostly along two directions of a 16-d space, away from the origin. A
    // student equal to the teacher lands on the teacher's points, and so does one 1e-5 times as
    // large (the map is of directions: what a cosine-trained student learns); a student pointing
    // elsewhere lands elsewhere; a NaN row stays NaN.
    at::manual_seed(9);
    const at::Tensor basis = std::get<0>(at::linalg_qr(at::randn({16, 16}, at::kDouble)));
    at::Tensor scale = at::full({16}, 0.01, at::kDouble);
    scale[0] = 5.0;
    scale[1] = 3.0;
    at::Tensor coeff = at::randn({200, 16}, at::kDouble) * scale;
    coeff.select(1, 2).add_(10.0); // an offset along a third direction
    const at::Tensor teacher = coeff.mm(basis.t()).to(at::kFloat);
    at::Tensor broken = teacher.clone();
    broken[5].fill_(NAN);
    const AlignmentMap m = alignmentMap(teacher, {teacher, teacher * 1e-5f, -teacher, broken});
    QCOMPARE(m.teacher.sizes(), (at::IntArrayRef{200, 2}));
    QVERIFY(at::allclose(m.students[0], m.teacher, 1e-5, 1e-5));
    QVERIFY(at::allclose(m.students[1], m.teacher, 1e-4, 1e-4));
    QVERIFY((m.students[2] - m.teacher).norm(2, 1).mean().item<double>() > 0.2);
    QVERIFY(at::isnan(m.students[3][5]).all().item<bool>());
    QVERIFY(!at::isnan(m.students[3][4]).any().item<bool>());
    QVERIFY(m.explained[0] > 0.3 && m.explained[0] + m.explained[1] <= 1.0 + 1e-9);
}

void tst_Alignment::unionMapsShareOnePlane()
{
    // Four groups of directions; snapshot 0 is the teacher itself, snapshot 1 the teacher scaled
    // (the same directions), snapshot 2 the opposite directions.
    at::manual_seed(4);
    const at::Tensor centres = at::randn({4, 12}) * 3;
    const at::Tensor teacher = (centres.repeat_interleave(40, 0) + 0.3 * at::randn({160, 12})).contiguous();
    at::Tensor broken = teacher.clone();
    broken[7].fill_(NAN);
    const std::vector<at::Tensor> snaps{teacher, teacher * 1e-5f, -teacher, broken};
    const AlignmentMap m = alignmentMap(teacher, snaps, "umap");
    QCOMPARE(m.snapshots, (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(int(m.students.size()), 4);
    QVERIFY(m.explained.empty());
    auto meanGap = [&](const at::Tensor& s) {
        const at::Tensor ok = at::isfinite(s).all(1);
        return (s.index({ok}) - m.teacher.index({ok})).norm(2, 1).mean().item<double>();
    };
    const double spreadOfMap = (m.teacher - m.teacher.mean(0)).norm(2, 1).mean().item<double>();
    // A student with the teacher's directions sits on the teacher's points; the opposite one does not.
    QVERIFY2(meanGap(m.students[0]) < 0.1 * spreadOfMap && meanGap(m.students[1]) < 0.1 * spreadOfMap,
             qPrintable(QStringLiteral("%1 %2 of %3")
                            .arg(meanGap(m.students[0]))
                            .arg(meanGap(m.students[1]))
                            .arg(spreadOfMap)));
    QVERIFY2(meanGap(m.students[2]) > 0.5 * spreadOfMap, qPrintable(QString::number(meanGap(m.students[2]))));
    QVERIFY(at::isnan(m.students[3][7]).all().item<bool>());
    QVERIFY(at::isfinite(m.students[3][6]).all().item<bool>());
    // Too many rows for one map: evenly spaced snapshots, the first and the last among them.
    const AlignmentMap few = alignmentMap(teacher, snaps, "tsne", 42, 3 * 160);
    QCOMPARE(few.snapshots, (std::vector<int>{0, 3}));
    QCOMPARE(int(few.students.size()), 2);
    QVERIFY_THROWS_EXCEPTION(InputError, alignmentMap(teacher, snaps, "isomap"));
}

QTEST_GUILESS_MAIN(tst_Alignment)
#include "tst_Alignment.moc"
