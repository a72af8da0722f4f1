// SPDX-License-Identifier: GPL-3.0-or-later
// SHA-256 against the FIPS 180-4 test vectors and coreutils' sha256sum; FNV-1a and mixSeed basics.

#include "util/Error.h"
#include "util/Hash.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>

using namespace ssondo;

class tst_Hash : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sha256Vectors_data();
    void sha256Vectors();
    void sha256IncrementalAndFile();
    void fnvAndSeeds();
};

void tst_Hash::sha256Vectors_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QString>("digest");
    QTest::newRow("empty") << QByteArray()
                           << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QTest::newRow("abc") << QByteArray("abc")
                         << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("448 bits") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                              << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    QTest::newRow("896 bits")
        << QByteArray("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnop"
                      "qklmnopqrlmnopqrsmnopqrstnopqrstu")
        << "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1";
    QTest::newRow("million a") << QByteArray(1000000, 'a')
                               << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
}

void tst_Hash::sha256Vectors()
{
    QFETCH(QByteArray, input);
    QFETCH(QString, digest);
    Sha256 h;
    h.add(input.constData(), std::size_t(input.size()));
    QCOMPARE(QString::fromStdString(h.hex()), digest);
}

void tst_Hash::sha256IncrementalAndFile()
{
    // Pieces of odd sizes across block boundaries give the digest of the whole.
    std::string data;
    for (int i = 0; i < 5000; ++i)
        data.push_back(char(i * 31 % 251));
    Sha256 whole;
    whole.add(data);
    Sha256 parts;
    for (std::size_t at = 0, step = 1; at < data.size(); at += step, step = step * 3 % 97 + 1)
        parts.add(data.data() + at, std::min(step, data.size() - at));
    const std::string digest = whole.hex();
    QCOMPARE(parts.hex(), digest);

    QTemporaryDir dir;
    const std::string path = (dir.path() + "/blob.bin").toStdString();
    std::ofstream(path, std::ios::binary) << data;
    QCOMPARE(sha256File(path), digest);
    QProcess p;
    p.start("sha256sum", {QString::fromStdString(path)});
    if (p.waitForFinished(10000) && p.exitCode() == 0)
        QCOMPARE(QString(p.readAllStandardOutput()).left(64), QString::fromStdString(digest));
    QVERIFY_THROWS_EXCEPTION(Error, sha256File(path + ".missing"));
}

void tst_Hash::fnvAndSeeds()
{
    Fnv1a64 a, b;
    a.add("hello");
    b.add("hel");
    b.add("lo");
    QCOMPARE(a.hex(), b.hex());
    QCOMPARE(a.hex().size(), std::size_t(16));
    QVERIFY(mixSeed(42, 0) != mixSeed(42, 1));
    QCOMPARE(mixSeed(42, 5), mixSeed(42, 5));
}

QTEST_GUILESS_MAIN(tst_Hash)
#include "tst_Hash.moc"
