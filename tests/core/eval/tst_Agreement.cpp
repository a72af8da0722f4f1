// SPDX-License-Identifier: GPL-3.0-or-later
// Teacher–student agreement on spaces with known relations: identical, rotated, noisy, unrelated.

#include "eval/Agreement.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <QtTest/QtTest>

using namespace ssondo;

class tst_Agreement : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownRelations();
    void smallSetsAndBadShapes();
};

void tst_Agreement::knownRelations()
{
    at::manual_seed(3);
    const at::Tensor t = at::randn({300, 32});
    // Scale does not matter. A power of two scales exactly, so the normalised rows are the same
    // bits and every neighbourhood is the same, ties included: overlap exactly 1 on any CPU.
    const AgreementScores same = embeddingAgreement(t, t * 4.0);
    QVERIFY(std::abs(same.meanCosine - 1.0) < 1e-5); // 32-term dot products: ~sqrt(32)·2^-24
    QCOMPARE(same.knnOverlap, 1.0);
    QCOMPARE(same.k, std::int64_t(10));

    // A rotation keeps every neighbourhood but not the cosine to the teacher.
    const at::Tensor q = std::get<0>(at::linalg_qr(at::randn({32, 32})));
    const AgreementScores rotated = embeddingAgreement(t, t.matmul(q));
    QVERIFY(rotated.knnOverlap > 0.999);
    QVERIFY(std::abs(rotated.meanCosine) < 0.3);

    const AgreementScores noisy = embeddingAgreement(t, t + 0.5 * at::randn({300, 32}));
    QVERIFY(noisy.meanCosine > 0.8 && noisy.meanCosine < 0.95);
    QVERIFY(noisy.knnOverlap > 0.2 && noisy.knnOverlap < 0.95);

    // Unrelated: overlap near chance, k / (n − 1) = 10 / 299.
    const AgreementScores unrelated = embeddingAgreement(t, at::randn({300, 32}));
    QVERIFY2(unrelated.knnOverlap < 0.1, qPrintable(QString::number(unrelated.knnOverlap)));
    QVERIFY(std::abs(unrelated.meanCosine) < 0.1);
}

void tst_Agreement::smallSetsAndBadShapes()
{
    const at::Tensor t = at::randn({4, 8});
    QCOMPARE(embeddingAgreement(t, t).k, std::int64_t(3)); // k shrinks to n − 1
    QVERIFY_THROWS_EXCEPTION(InputError, embeddingAgreement(t, at::randn({5, 8})));
    QVERIFY_THROWS_EXCEPTION(InputError, embeddingAgreement(t, at::randn({4, 9})));
    QVERIFY_THROWS_EXCEPTION(InputError, embeddingAgreement(t.slice(0, 0, 1), t.slice(0, 0, 1)));
}

QTEST_GUILESS_MAIN(tst_Agreement)
#include "tst_Agreement.moc"
