// SPDX-License-Identifier: GPL-3.0-or-later
// Teachers: the demo network, TorchScript files (good and bad, made by export_teacher.py and
// tests/tools/make_teacher_fixtures.py), and precomputed .npz/.npy embeddings.

#include "teachers/DemoTeacher.h"
#include "teachers/PrecomputedTeacher.h"
#include "teachers/Teacher.h"
#include "teachers/TorchScriptTeacher.h"
#include "util/Error.h"

#include <ATen/ATen.h>
#include <QtTest/QtTest>

using namespace ssondo;

static const std::string kDir = SSONDO_FIXTURE_DIR "/teachers/";

class tst_Teachers : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void demoTeacher();
    void torchScriptTeacher();
    void badTorchScript_data();
    void badTorchScript();
    void attributesFromSpec();
    void npzFolder();
    void badNpz_data();
    void badNpz();
    void npyMatrix();
    void openTeacherDispatch();
};

void tst_Teachers::demoTeacher()
{
    DemoTeacher t;
    QCOMPARE(t.kind(), TeacherKind::Demo);
    QCOMPARE(t.sampleRate(), 16000);
    QCOMPARE(t.embeddingDim(), std::int64_t(3840));
    // Several times larger than MobileNetV3's 2,971,664 backbone parameters.
    QVERIFY(t.parameterCount() > 5 * 2971664);
    QVERIFY(QString::fromStdString(t.description()).contains("NOT a pretrained model"));
    at::manual_seed(1);
    const at::Tensor wav = at::randn({3, 160000}) * 0.1;
    const at::Tensor a = t.embed(wav);
    QCOMPARE(a.sizes().vec(), (std::vector<std::int64_t>{3, 3840}));
    QVERIFY(at::isfinite(a).all().item<bool>());
    // Same weights in a second instance: the seed is fixed, not taken from the global generator.
    at::manual_seed(999);
    DemoTeacher t2;
    QVERIFY(at::allclose(a, t2.embed(wav), 1e-5, 1e-5));
    QCOMPARE(t.identity(), t2.identity());
    // Different sounds, different embeddings.
    QVERIFY(at::cosine_similarity(a[0], a[1], 0).item<double>() < 0.999);
}

void tst_Teachers::torchScriptTeacher()
{
    TorchScriptTeacher t(kDir + "tiny.pt");
    QCOMPARE(t.sampleRate(), 16000);
    QCOMPARE(t.windowSeconds(), 1.0);
    QCOMPARE(t.embeddingDim(), std::int64_t(64));
    QCOMPARE(t.parameterCount(), std::int64_t(7504));
    const at::Tensor y = t.embed(at::randn({5, 16000}) * 0.1);
    QCOMPARE(y.sizes().vec(), (std::vector<std::int64_t>{5, 64}));
    QVERIFY(QString::fromStdString(t.identity()).startsWith("torchscript-"));
}

void tst_Teachers::badTorchScript_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("message");
    QTest::newRow("not TorchScript") << "state_dict.pt"
                                     << "not a TorchScript file";
    QTest::newRow("missing") << "nope.pt"
                             << "does not exist";
    QTest::newRow("wrong rank") << "wrong_rank.pt"
                                << "rank 3";
    QTest::newRow("NaN output") << "nan.pt"
                                << "NaN";
    QTest::newRow("no attributes") << "no_attrs.pt"
                                   << "--teacher-sample-rate";
    QTest::newRow("a text file") << "../frontend/configs.json"
                                 << "not a TorchScript file";
}

void tst_Teachers::badTorchScript()
{
    QFETCH(QString, file);
    QFETCH(QString, message);
    try {
        TorchScriptTeacher t(kDir + file.toStdString());
        QFAIL("accepted a bad teacher");
    } catch (const Error& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
        QVERIFY2(QString(e.what()).contains(file.section('/', -1)), "the message must name the file");
    }
}

void tst_Teachers::attributesFromSpec()
{
    TorchScriptTeacher t(kDir + "no_attrs.pt", 8000, 0.5);
    QCOMPARE(t.sampleRate(), 8000);
    QCOMPARE(t.embeddingDim(), std::int64_t(2));
    QCOMPARE(t.embed(at::ones({2, 4000})).sizes().vec(), (std::vector<std::int64_t>{2, 2}));
}

void tst_Teachers::npzFolder()
{
    PrecomputedTeacher t(kDir + "npz");
    QCOMPARE(t.embeddingDim(), std::int64_t(8));
    // Matched by base name, whatever the audio extension and folder.
    auto a = t.lookup("dogs/a.wav");
    auto b = t.lookup("b.flac");
    QVERIFY(a && b);
    QCOMPARE(a->sizes().vec(), (std::vector<std::int64_t>{8}));
    QCOMPARE(b->sizes().vec(), (std::vector<std::int64_t>{8})); // (1, D) flattened
    QVERIFY(!t.lookup("unknown.wav"));
    QVERIFY_THROWS_EXCEPTION(std::exception, t.embed(at::zeros({1, 10})));
}

void tst_Teachers::badNpz_data()
{
    QTest::addColumn<QString>("clip");
    QTest::addColumn<QString>("message");
    QTest::newRow("wrong key") << "badkey.wav"
                               << "no array 'embed' (found: embedding)";
    QTest::newRow("wrong shape") << "badshape.wav"
                                 << "shape (D,) or (1, D)";
    QTest::newRow("wrong dtype") << "intdtype.wav"
                                 << "floating point";
}

void tst_Teachers::badNpz()
{
    QFETCH(QString, clip);
    QFETCH(QString, message);
    PrecomputedTeacher t(kDir + "npz");
    try {
        t.lookup(clip.toStdString());
        QFAIL("accepted a bad .npz");
    } catch (const InputError& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
        QVERIFY(QString(e.what()).contains(clip.section('.', 0, 0) + ".npz"));
    }
}

void tst_Teachers::npyMatrix()
{
    PrecomputedTeacher t(kDir + "matrix.npy", kDir + "matrix_index.csv");
    QCOMPARE(t.embeddingDim(), std::int64_t(8));
    QCOMPARE(t.size(), size_t(3));
    QCOMPARE((*t.lookup("cat/y.wav"))[0].item<float>(), 8.f);
    QCOMPARE((*t.lookup("other/z.wav"))[7].item<float>(), 23.f);                   // by base name
    QVERIFY_THROWS_EXCEPTION(InputError, PrecomputedTeacher(kDir + "matrix.npy")); // index required
}

void tst_Teachers::openTeacherDispatch()
{
    QCOMPARE(openTeacher({"demo"})->kind(), TeacherKind::Demo);
    QCOMPARE(openTeacher({kDir + "tiny.pt"})->kind(), TeacherKind::TorchScript);
    QCOMPARE(openTeacher({kDir + "npz"})->kind(), TeacherKind::Precomputed);
    QVERIFY_THROWS_EXCEPTION(InputError, openTeacher({"/no/such/teacher.pt"}));
}

QTEST_GUILESS_MAIN(tst_Teachers)
#include "tst_Teachers.moc"
