// SPDX-License-Identifier: GPL-3.0-or-later
// The torch.save reader on files Debian's python3-torch writes with pickle protocols 2 (the
// default) and 4 (STACK_GLOBAL, MEMOIZE, BINUNICODE8 and frames): every tensor back with its
// dtype, shape and values, views of one storage included, nested state dicts flattened.

#include "students/TorchPickle.h"

#include <ATen/ATen.h>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace ssondo;

class tst_TorchPickle : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void readsEveryProtocol_data();
    void readsEveryProtocol();

private:
    QTemporaryDir m_dir;
};

void tst_TorchPickle::initTestCase()
{
    // The same state dict under both protocols: float, double, half and int tensors, a parameter,
    // a non-contiguous view and a slice sharing one storage, a long key (BINUNICODE8 is used by
    // protocol 4 only for strings past 4 GiB, so the long key checks SHORT_BINUNICODE/BINUNICODE).
    QProcess py;
    py.start("/usr/bin/python3",
             {"-c",
              "import collections, sys, torch\n"
              "d = sys.argv[1]\n"
              "base = torch.arange(24, dtype=torch.float32).reshape(4, 6)\n"
              "sd = collections.OrderedDict()\n"
              "sd['features.0.0.weight'] = base\n"
              "sd['features.0.0.weight_t'] = base.t()\n"
              "sd['features.0.0.slice'] = base[1:3, 2:5]\n"
              "sd['head.bias'] = torch.nn.Parameter(torch.tensor([0.5, -1.25], dtype=torch.float64))\n"
              "sd['bn.num_batches_tracked'] = torch.tensor(7)\n"
              "sd['half'] = torch.tensor([1.0, 2.5, -3.0], dtype=torch.float16)\n"
              "sd['nested'] = {'inner.w': torch.ones(2, 2)}\n"
              "sd['k' * 300] = torch.zeros(1)\n"
              "for proto in (2, 4):\n"
              "    torch.save(sd, d + '/proto%d.pt' % proto, pickle_protocol=proto)\n",
              m_dir.path()});
    QVERIFY(py.waitForFinished(120000));
    QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
}

void tst_TorchPickle::readsEveryProtocol_data()
{
    QTest::addColumn<int>("protocol");
    QTest::newRow("protocol 2") << 2;
    QTest::newRow("protocol 4") << 4;
}

void tst_TorchPickle::readsEveryProtocol()
{
    QFETCH(int, protocol);
    const auto t =
        readTorchSaveTensors((m_dir.path() + QStringLiteral("/proto%1.pt").arg(protocol)).toStdString());
    QCOMPARE(int(t.size()), 8);
    const at::Tensor base = at::arange(24, at::kFloat).reshape({4, 6});
    QVERIFY(at::equal(t.at("features.0.0.weight"), base)); // bytes copied: exact
    QVERIFY(at::equal(t.at("features.0.0.weight_t"), base.t()));
    QVERIFY(at::equal(t.at("features.0.0.slice"), base.slice(0, 1, 3).slice(1, 2, 5)));
    QCOMPARE(t.at("head.bias").scalar_type(), at::kDouble);
    QVERIFY(at::equal(t.at("head.bias"), at::tensor({0.5, -1.25}, at::kDouble)));
    QCOMPARE(t.at("bn.num_batches_tracked").item<std::int64_t>(), std::int64_t(7));
    QCOMPARE(t.at("half").scalar_type(), at::kHalf);
    QVERIFY(at::equal(t.at("half").to(at::kFloat), at::tensor({1.0f, 2.5f, -3.0f})));
    QVERIFY(at::equal(t.at("nested.inner.w"), at::ones({2, 2})));
    QVERIFY(t.count(std::string(300, 'k')));
    // Tensors that shared a storage in Python are independent here.
    QVERIFY(t.at("features.0.0.weight").data_ptr() != t.at("features.0.0.slice").data_ptr());
}

QTEST_GUILESS_MAIN(tst_TorchPickle)
#include "tst_TorchPickle.moc"
