// SPDX-License-Identifier: GPL-3.0-or-later
// .npy files written by NumPy (the torchaudio fixture) and by us; malformed files.

#include "data/NpyFile.h"

#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>

using namespace ssondo;

class tst_NpyFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsNumpyFile();
    void fortranOrderIsReordered();
    void roundTrip_data();
    void roundTrip();
    void rejectsBadFiles_data();
    void rejectsBadFiles();
    void longHeaderIsParsed();
};

void tst_NpyFile::readsNumpyFile()
{
    // torchaudio's output is a transposed view, so NumPy saved it in Fortran order: the reader
    // must reorder it (checked against the values by tst_LogMelFrontEnd).
    const NpyArray a = NpyFile::read(SSONDO_FIXTURE_DIR "/frontend/student_32k.f64.npy");
    QCOMPARE(a.dtype, std::string("<f8"));
    QCOMPARE(a.shape, (std::vector<std::int64_t>{128, 155}));
    QCOMPARE(a.size(), std::int64_t(a.data.size()));
    QCOMPARE(a.size(), std::int64_t(a.data64.size())); // float64 kept at full precision
    for (std::size_t i = 0; i < a.data64.size(); ++i) {
        QVERIFY(std::isfinite(a.data64[i]) && a.data64[i] >= std::log(0.001) - 1e-12);
        QCOMPARE(a.data[i], float(a.data64[i])); // the float32 copy is the rounded value
    }
}

void tst_NpyFile::fortranOrderIsReordered()
{
    // [[1, 2, 3], [4, 5, 6]] stored column-major: 1 4 2 5 3 6.
    std::string h = "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }";
    h.append((64 - (10 + h.size() + 1) % 64) % 64, ' ');
    h.push_back('\n');
    std::string bytes = std::string("\x93NUMPY\x01\x00", 8) + char(h.size()) + char(0) + h;
    const float col[] = {1, 4, 2, 5, 3, 6};
    bytes.append(reinterpret_cast<const char*>(col), sizeof col);
    const NpyArray a =
        NpyFile::parse(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), "f.npy");
    QCOMPARE(a.data, (std::vector<float>{1, 2, 3, 4, 5, 6}));
}

void tst_NpyFile::roundTrip_data()
{
    QTest::addColumn<QList<qint64>>("shape");
    QTest::newRow("vector (3840,)") << QList<qint64>{3840};
    QTest::newRow("row (1, 3840)") << QList<qint64>{1, 3840};
    QTest::newRow("matrix (7, 5)") << QList<qint64>{7, 5};
    QTest::newRow("empty (0, 4)") << QList<qint64>{0, 4};
}

void tst_NpyFile::roundTrip()
{
    QFETCH(QList<qint64>, shape);
    std::vector<std::int64_t> s(shape.begin(), shape.end());
    std::int64_t n = 1;
    for (auto d : s)
        n *= d;
    std::vector<float> data(static_cast<size_t>(n));
    for (size_t i = 0; i < data.size(); ++i)
        data[i] = float(i) * 0.5f - 3.f;
    QTemporaryDir dir;
    const std::string p = (dir.path() + "/x.npy").toStdString();
    NpyFile::write(p, s, data.data());
    // The header must end on a 64-byte boundary (NumPy's format spec).
    std::ifstream in(p, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), {});
    const size_t headerLen = size_t(uint8_t(bytes[8])) | (size_t(uint8_t(bytes[9])) << 8);
    QCOMPARE((10 + headerLen) % 64, size_t(0));
    const NpyArray a = NpyFile::read(p);
    QCOMPARE(a.shape, s);
    QCOMPARE(a.data, data);
}

void tst_NpyFile::rejectsBadFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    const QByteArray magic("\x93NUMPY\x01\x00", 8);
    auto header = [&](const QByteArray& dict) {
        QByteArray h = dict;
        h.append(QByteArray(int((64 - (10 + h.size() + 1) % 64) % 64), ' ')).append('\n');
        QByteArray out = magic;
        out.append(char(h.size() & 0xff)).append(char(h.size() >> 8)).append(h);
        return out;
    };
    QTest::newRow("not npy") << QByteArray("PK\x03\x04 zip") << "magic";
    QTest::newRow("big endian") << header("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }") +
                                       QByteArray(8, 0)
                                << "unsupported dtype";
    QTest::newRow("truncated data") << header("{'descr': '<f4', 'fortran_order': False, 'shape': (100,), }") +
                                           QByteArray(8, 0)
                                    << "truncated";
    QTest::newRow("object dtype") << header("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }") +
                                         QByteArray(8, 0)
                                  << "unsupported dtype";
    // Found by fuzzing: a shape whose element count overflows 64 bits.
    QTest::newRow("shape overflow")
        << header("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }") +
               QByteArray(8, 0)
        << "overflows";
}

void tst_NpyFile::longHeaderIsParsed()
{
    // Found by fuzzing: a 60 kB header (format 2.0) overflowed std::regex's recursion; the reader
    // now searches the header as plain text.
    QByteArray h = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";
    h.append(QByteArray(60000 - int(h.size()), ' '));
    h.append(QByteArray(int((64 - (12 + h.size() + 1) % 64) % 64), ' ')).append('\n');
    QByteArray bytes("\x93NUMPY\x02\x00", 8);
    const quint32 n = quint32(h.size());
    bytes.append(reinterpret_cast<const char*>(&n), 4).append(h);
    const float v[] = {1.5f, -2.0f};
    bytes.append(reinterpret_cast<const char*>(v), sizeof v);
    const NpyArray a = NpyFile::parse(reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                      size_t(bytes.size()), "long.npy");
    QCOMPARE(a.shape, (std::vector<std::int64_t>{2}));
    QCOMPARE(a.data.size(), size_t(2));
    QCOMPARE(a.data[1], -2.0f);
}

void tst_NpyFile::rejectsBadFiles()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    try {
        NpyFile::parse(reinterpret_cast<const std::uint8_t*>(bytes.constData()), size_t(bytes.size()),
                       "bad.npy");
        QFAIL("accepted a bad file");
    } catch (const std::exception& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
        QVERIFY(QString(e.what()).startsWith("bad.npy"));
    }
}

QTEST_GUILESS_MAIN(tst_NpyFile)
#include "tst_NpyFile.moc"
