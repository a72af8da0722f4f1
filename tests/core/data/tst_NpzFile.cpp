// SPDX-License-Identifier: GPL-3.0-or-later
// The .npz reader on archives NumPy wrote (np.savez, stored; np.savez_compressed, deflated): the
// arrays read back exactly, and a member whose bytes were damaged is reported by its CRC-32 with
// the member's name, never read as if it were whole.

#include "data/NpzFile.h"
#include "util/Error.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace ssondo;

class tst_NpzFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void readsWhatNumpyWrote_data();
    void readsWhatNumpyWrote();
    void damagedMemberIsReported_data();
    void damagedMemberIsReported();

private:
    QTemporaryDir m_dir;
};

void tst_NpzFile::initTestCase()
{
    QProcess py;
    py.start("/usr/bin/python3", {"-c",
                                  "import numpy as np, sys\n"
                                  "d = sys.argv[1]\n"
                                  "embed = np.arange(3840, dtype=np.float32).reshape(1, 3840) / 7\n"
                                  "other = np.array([1.5, -2.0], dtype=np.float64)\n"
                                  "np.savez(d + '/stored.npz', embed=embed, other=other)\n"
                                  "np.savez_compressed(d + '/deflated.npz', embed=embed, other=other)\n",
                                  m_dir.path()});
    QVERIFY(py.waitForFinished(60000));
    QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
}

void tst_NpzFile::readsWhatNumpyWrote_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("np.savez (stored)") << "stored.npz";
    QTest::newRow("np.savez_compressed (deflated)") << "deflated.npz";
}

void tst_NpzFile::readsWhatNumpyWrote()
{
    QFETCH(QString, file);
    const auto arrays = NpzFile::read((m_dir.path() + "/" + file).toStdString());
    QCOMPARE(int(arrays.size()), 2);
    const NpyArray& embed = arrays.at("embed");
    QCOMPARE(embed.shape, (std::vector<std::int64_t>{1, 3840}));
    for (int i = 0; i < 3840; ++i) // float32 bytes copied: exact
        QCOMPARE(embed.data[std::size_t(i)], float(i) / 7.0f);
    QCOMPARE(arrays.at("other").data64, (std::vector<double>{1.5, -2.0}));
}

void tst_NpzFile::damagedMemberIsReported_data()
{
    QTest::addColumn<QString>("file");
    QTest::newRow("stored") << "stored.npz";
    QTest::newRow("deflated") << "deflated.npz";
}

void tst_NpzFile::damagedMemberIsReported()
{
    QFETCH(QString, file);
    QFile in(m_dir.path() + "/" + file);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QByteArray bytes = in.readAll();
    // One bit flipped in the middle of the first member's data (after its local header).
    const int first = bytes.indexOf("embed.npy") + 9 + 2000;
    QVERIFY(first > 2000 && first < bytes.size());
    bytes[first] = char(bytes[first] ^ 0x10);
    const QString damaged = m_dir.path() + "/damaged-" + file;
    QFile out(damaged);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(bytes);
    out.close();
    try {
        NpzFile::read(damaged.toStdString());
        QFAIL("read a damaged member as if it were whole");
    } catch (const InputError& e) {
        const QString why = QString::fromUtf8(e.what());
        QVERIFY2(why.contains("member 'embed.npy'") &&
                     (why.contains("CRC-32") || why.contains("does not inflate")),
                 e.what());
        QVERIFY2(why.contains("damaged-" + file), e.what());
    }
}

QTEST_GUILESS_MAIN(tst_NpzFile)
#include "tst_NpzFile.moc"
