// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

class QCustomPlot;
class QCPColorMap;
class QCPItemStraightLine;
class QLabel;
class QPushButton;
class QSlider;
class QMediaPlayer;

namespace ssondo::ui {

/// One clip: its waveform (min/max envelope), its S-SONDO log-mel spectrogram (the students' input:
/// 32 kHz, 128 mels) and playback (Qt Multimedia) with a play head on both plots.
class ClipView : public QWidget
{
    Q_OBJECT

public:
    explicit ClipView(QWidget* parent = nullptr);
    ~ClipView() override;

    /// Decodes and draws the clip (the first 60 s of long files). False, with the reason shown, when
    /// the file cannot be decoded.
    bool load(const QString& path);
    void clear();
    void play();
    void stop();
    QString currentPath() const { return m_path; }
    /// True when playback is available in this build and session.
    bool canPlay() const;

    QCustomPlot* waveform() const { return m_wave; }
    QCustomPlot* spectrogram() const { return m_spec; }
    QCPColorMap* colorMap() const { return m_map; }
    QLabel* info() const { return m_info; }
    QMediaPlayer* player() const { return m_player; }

private:
    void buildLayout();
    void createPlayer();
    void setPlayhead(double seconds);

    QString m_path;
    QCustomPlot* m_wave;
    QCustomPlot* m_spec;
    QCPColorMap* m_map;
    QCPItemStraightLine* m_waveHead;
    QCPItemStraightLine* m_specHead;
    QPushButton* m_play;
    QPushButton* m_stop;
    QSlider* m_position;
    QLabel* m_info;
    QMediaPlayer* m_player = nullptr;
    double m_duration = 0;
};

} // namespace ssondo::ui
