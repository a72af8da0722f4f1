// SPDX-License-Identifier: GPL-3.0-or-later
#include "plots/ClipView.h"

#include "audio/AudioFile.h"
#include "audio/LogMelFrontEnd.h"
#include "plots/QCustomPlotInclude.h"

#include <ATen/ATen.h>

#include <QDir>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QVBoxLayout>
#ifdef SSONDO_HAVE_MULTIMEDIA
#include <QAudioOutput>
#include <QMediaPlayer>
#endif

#include <algorithm>

namespace ssondo::ui {

namespace {
constexpr double kMaxSeconds = 60.0;

/// Qt 6.4's GStreamer backend crashes while constructing a QMediaPlayer when GStreamer's base and
/// good plugins are missing (packaging/install-deps.sh installs them); check for them first.
bool gstreamerPluginsPresent()
{
    QStringList dirs =
        qEnvironmentVariable("GST_PLUGIN_SYSTEM_PATH").split(QLatin1Char(':'), Qt::SkipEmptyParts);
    dirs << QStringLiteral("/usr/lib/x86_64-linux-gnu/gstreamer-1.0")
         << QStringLiteral("/usr/lib/aarch64-linux-gnu/gstreamer-1.0")
         << QStringLiteral("/usr/lib/gstreamer-1.0") << QStringLiteral("/usr/lib64/gstreamer-1.0");
    for (const QString& d : dirs) {
        const QDir dir(d);
        if (dir.exists(QStringLiteral("libgstplayback.so")) &&
            dir.exists(QStringLiteral("libgstaudioconvert.so")) &&
            dir.exists(QStringLiteral("libgstautodetect.so")))
            return true;
    }
    return false;
}
} // namespace

ClipView::ClipView(QWidget* parent)
    : QWidget(parent), m_wave(new QCustomPlot(this)), m_spec(new QCustomPlot(this)),
      m_play(new QPushButton(tr("Play"), this)), m_stop(new QPushButton(tr("Stop"), this)),
      m_position(new QSlider(Qt::Horizontal, this)), m_info(new QLabel(this))
{
    m_wave->setMinimumHeight(90);
    m_wave->yAxis->setRange(-1, 1);
    m_wave->yAxis->setTickLabels(false);
    m_wave->xAxis->setLabel(tr("seconds"));
    m_wave->addGraph(); // max
    m_wave->addGraph(); // min, filled up to max
    for (int g = 0; g < 2; ++g)
        m_wave->graph(g)->setPen(QPen(QColor(0x2c, 0x6f, 0xbb)));
    m_wave->graph(1)->setBrush(QColor(0x2c, 0x6f, 0xbb, 150));
    m_wave->graph(1)->setChannelFillGraph(m_wave->graph(0));
    m_spec->setMinimumHeight(140);
    m_spec->xAxis->setLabel(tr("seconds"));
    m_spec->yAxis->setLabel(tr("mel band"));
    m_map = new QCPColorMap(m_spec->xAxis, m_spec->yAxis);
    m_map->setGradient(QCPColorGradient::gpThermal);
    m_map->setInterpolate(false);
    for (auto* plot : {m_wave, m_spec}) {
        auto* head = new QCPItemStraightLine(plot);
        head->setPen(QPen(QColor(0xd6, 0x27, 0x28), 1.5));
        head->point1->setCoords(0, 0);
        head->point2->setCoords(0, 1);
        head->setVisible(false);
        (plot == m_wave ? m_waveHead : m_specHead) = head;
    }
    m_info->setWordWrap(true);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_position->setRange(0, 0);
    m_play->setEnabled(false);
    m_stop->setEnabled(false);
    buildLayout();
    createPlayer();
}

void ClipView::createPlayer()
{
#ifdef SSONDO_HAVE_MULTIMEDIA
    if (qEnvironmentVariableIsSet("SSONDO_NO_AUDIO") || !gstreamerPluginsPresent())
        return;
    m_player = new QMediaPlayer(this);
    m_player->setAudioOutput(new QAudioOutput(this));
    connect(m_player, &QMediaPlayer::positionChanged, this, [this](qint64 ms) {
        const QSignalBlocker block(m_position);
        m_position->setValue(int(ms));
        setPlayhead(double(ms) / 1000.0);
    });
    connect(m_player, &QMediaPlayer::durationChanged, this,
            [this](qint64 ms) { m_position->setRange(0, int(ms)); });
    connect(m_player, &QMediaPlayer::errorOccurred, this, [this](QMediaPlayer::Error, const QString& why) {
        m_info->setText(m_info->text() + QStringLiteral("\n") + tr("Playback: %1").arg(why));
    });
    connect(m_position, &QSlider::sliderMoved, this, [this](int ms) { m_player->setPosition(ms); });
#endif
}

void ClipView::buildLayout()
{
    connect(m_play, &QPushButton::clicked, this, &ClipView::play);
    connect(m_stop, &QPushButton::clicked, this, &ClipView::stop);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_play);
    controls->addWidget(m_stop);
    controls->addWidget(m_position, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_info);
    layout->addLayout(controls);
    layout->addWidget(m_wave, 2);
    layout->addWidget(m_spec, 3);
    clear();
}

ClipView::~ClipView() = default;

bool ClipView::canPlay() const
{
    return m_player != nullptr;
}

void ClipView::clear()
{
    m_path.clear();
    m_duration = 0;
    m_wave->graph(0)->data()->clear();
    m_wave->graph(1)->data()->clear();
    m_map->data()->clear();
    m_waveHead->setVisible(false);
    m_specHead->setVisible(false);
    m_play->setEnabled(false);
    m_stop->setEnabled(false);
    m_info->setText(tr("Select a clip to see its waveform and log-mel spectrogram and to play it."));
    m_wave->replot(QCustomPlot::rpQueuedReplot);
    m_spec->replot(QCustomPlot::rpQueuedReplot);
}

bool ClipView::load(const QString& path)
{
    stop();
    m_path = path;
    try {
        // Waveform at the file's own rate, as a min/max envelope of at most 2000 columns.
        MonoAudio a = AudioFile::readMono(path.toStdString());
        const int nativeRate = a.sampleRate;
        const std::size_t shown = std::min(a.samples.size(), std::size_t(kMaxSeconds * a.sampleRate));
        m_duration = double(shown) / a.sampleRate;
        const std::size_t columns = std::max<std::size_t>(1, std::min<std::size_t>(2000, shown));
        const int nColumns = static_cast<int>(columns);
        QVector<double> t(nColumns), lo(nColumns), hi(nColumns);
        for (std::size_t c = 0; c < columns; ++c) {
            const std::size_t b = c * shown / columns, e = std::max(b + 1, (c + 1) * shown / columns);
            float mn = 0, mx = 0;
            for (std::size_t i = b; i < e && i < shown; ++i)
                mn = std::min(mn, a.samples[i]), mx = std::max(mx, a.samples[i]);
            t[int(c)] = double(b) / a.sampleRate;
            lo[int(c)] = mn;
            hi[int(c)] = mx;
        }
        m_wave->graph(0)->setData(t, hi, true);
        m_wave->graph(1)->setData(t, lo, true);
        m_wave->xAxis->setRange(0, std::max(m_duration, 1e-3));
        const float peak = shown ? *std::max_element(hi.begin(), hi.end()) : 1.f;
        const double lowest = shown ? *std::min_element(lo.begin(), lo.end()) : -1.0;
        const double range = std::max({0.05, double(peak), -lowest}) * 1.05;
        m_wave->yAxis->setRange(-range, range);

        // The students' input: 32 kHz, 128 log-mels.
        const LogMelFrontEnd fe;
        MonoAudio r = a.sampleRate == fe.sampleRate()
                          ? std::move(a)
                          : AudioFile::readMono(path.toStdString(), fe.sampleRate());
        r.samples.resize(
            std::max<std::size_t>(std::min(r.samples.size(), std::size_t(kMaxSeconds * fe.sampleRate())),
                                  std::size_t(fe.options().n_fft())),
            0.f);
        const at::Tensor wav = at::from_blob(r.samples.data(), {std::int64_t(r.samples.size())}, at::kFloat);
        const at::Tensor mel = fe.forward(wav).squeeze(0).squeeze(0).contiguous(); // [mels, frames]
        const int mels = int(mel.size(0)), frames = int(mel.size(1));
        const double secondsPerFrame = double(fe.options().hop_length()) / fe.sampleRate();
        m_map->data()->setSize(frames, mels);
        m_map->data()->setRange(QCPRange(0, frames * secondsPerFrame), QCPRange(0, mels - 1));
        const float* m = mel.data_ptr<float>();
        for (int f = 0; f < frames; ++f)
            for (int b = 0; b < mels; ++b)
                m_map->data()->setCell(f, b, m[b * frames + f]);
        m_map->rescaleDataRange(true);
        m_spec->xAxis->setRange(0, std::max(m_duration, frames * secondsPerFrame));
        m_spec->yAxis->setRange(0, mels - 1);
        m_info->setText(tr("%1 — %2 s at %3 Hz%4")
                            .arg(path)
                            .arg(m_duration, 0, 'f', 2)
                            .arg(nativeRate)
                            .arg(canPlay() ? QString()
                                           : tr(" (playback unavailable: Qt Multimedia or GStreamer's "
                                                "base/good plugins missing)")));
    } catch (const std::exception& e) {
        clear();
        m_path = path;
        m_info->setText(tr("Cannot show %1: %2").arg(path, QString::fromUtf8(e.what())));
        return false;
    }
    setPlayhead(0);
    m_play->setEnabled(canPlay());
    m_stop->setEnabled(canPlay());
#ifdef SSONDO_HAVE_MULTIMEDIA
    if (m_player)
        m_player->setSource(QUrl::fromLocalFile(path));
#endif
    m_wave->replot(QCustomPlot::rpQueuedReplot);
    m_spec->replot(QCustomPlot::rpQueuedReplot);
    return true;
}

void ClipView::play()
{
#ifdef SSONDO_HAVE_MULTIMEDIA
    if (m_player && !m_path.isEmpty())
        m_player->play();
#endif
}

void ClipView::stop()
{
#ifdef SSONDO_HAVE_MULTIMEDIA
    if (m_player)
        m_player->stop();
#endif
    setPlayhead(0);
}

void ClipView::setPlayhead(double seconds)
{
    for (auto* head : {m_waveHead, m_specHead}) {
        head->point1->setCoords(seconds, 0);
        head->point2->setCoords(seconds, 1);
        head->setVisible(!m_path.isEmpty());
    }
    m_wave->replot(QCustomPlot::rpQueuedReplot);
    m_spec->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace ssondo::ui
