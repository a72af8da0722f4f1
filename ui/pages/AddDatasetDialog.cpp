// SPDX-License-Identifier: GPL-3.0-or-later
#include "pages/AddDatasetDialog.h"

#include "CliLocator.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace ssondo::ui {

AddDatasetDialog::AddDatasetDialog(QWidget* parent)
    : QDialog(parent), m_folder(new QLineEdit(this)), m_name(new QLineEdit(this)),
      m_labels(new QComboBox(this)), m_csv(new QLineEdit(this)),
      m_verify(new QCheckBox(tr("Decode every file (finds truncated and NaN-filled files; slower)"), this)),
      m_command(new QLabel(this))
{
    setWindowTitle(tr("Add a dataset"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    auto* browseCsv = new QPushButton(tr("Browse…"), this);
    auto* folderRow = new QHBoxLayout;
    folderRow->addWidget(m_folder);
    folderRow->addWidget(browse);
    auto* csvRow = new QHBoxLayout;
    csvRow->addWidget(m_csv);
    csvRow->addWidget(browseCsv);
    m_labels->addItem(tr("Sub-folder names"), QStringLiteral("folders"));
    m_labels->addItem(tr("CSV file (path,label[,fold[,split]])"), QStringLiteral("csv"));
    m_labels->addItem(tr("No labels"), QStringLiteral("none"));
    m_name->setPlaceholderText(tr("the folder's name"));
    m_command->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_command->setWordWrap(true);
    m_command->setStyleSheet(
        QStringLiteral("font-family: monospace; background: palette(base); padding: 4px;"));

    auto* form = new QFormLayout;
    form->addRow(tr("Folder:"), folderRow);
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Labels:"), m_labels);
    form->addRow(tr("Label file:"), csvRow);
    form->addRow(QString(), m_verify);
    form->addRow(tr("Command:"), m_command);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Scan"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(640, sizeHint().height());

    connect(browse, &QPushButton::clicked, this, [this]() {
        const QString d =
            QFileDialog::getExistingDirectory(this, tr("Folder of audio files"), m_folder->text());
        if (!d.isEmpty())
            setFolder(d);
    });
    connect(browseCsv, &QPushButton::clicked, this, [this]() {
        const QString f =
            QFileDialog::getOpenFileName(this, tr("Label file"), m_folder->text(), tr("CSV files (*.csv)"));
        if (!f.isEmpty()) {
            m_csv->setText(f);
            m_labels->setCurrentIndex(1);
        }
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    for (auto* e : {m_folder, m_name, m_csv})
        connect(e, &QLineEdit::textChanged, this, &AddDatasetDialog::updateCommand);
    connect(m_labels, &QComboBox::currentIndexChanged, this, &AddDatasetDialog::updateCommand);
    connect(m_verify, &QCheckBox::toggled, this, &AddDatasetDialog::updateCommand);
    updateCommand();
}

void AddDatasetDialog::setFolder(const QString& folder)
{
    m_folder->setText(folder);
    const QString csv = QDir(folder).filePath(QStringLiteral("labels.csv"));
    if (m_csv->text().isEmpty() && QFileInfo::exists(csv)) {
        m_csv->setText(csv);
        m_labels->setCurrentIndex(1);
    }
}

QString AddDatasetDialog::datasetName() const
{
    return m_name->text().isEmpty() ? QFileInfo(m_folder->text()).fileName() : m_name->text();
}

QStringList AddDatasetDialog::arguments() const
{
    QStringList args{QStringLiteral("dataset"), QStringLiteral("add"), m_folder->text()};
    if (!m_name->text().isEmpty())
        args << QStringLiteral("--name") << m_name->text();
    const QString source = m_labels->currentData().toString();
    if (source == QLatin1String("csv"))
        args << QStringLiteral("--csv") << m_csv->text();
    else
        args << QStringLiteral("--labels") << source;
    if (m_verify->isChecked())
        args << QStringLiteral("--verify");
    return args;
}

void AddDatasetDialog::updateCommand()
{
    m_csv->setEnabled(m_labels->currentData().toString() == QLatin1String("csv"));
    m_command->setText(QStringLiteral("ssondo ") + shellQuote(arguments()));
}

} // namespace ssondo::ui
