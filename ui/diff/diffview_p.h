#pragma once

// The DiffView's private parts, shared by diffview.cpp (the pickers and presets) and
// diffviewwork.cpp (loading, comparing, choosing, the script, applying).

#include "ui/diff/diffview.h"

#include <QPointer>

class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace dbops
{
    struct DiffView::Picker
    {
        QGroupBox *box = nullptr;
        QComboBox *kind = nullptr;
        QComboBox *profile = nullptr;
        QLineEdit *path = nullptr;
        QPushButton *browse = nullptr;
        QPushButton *load = nullptr;
        QPushButton *cancel = nullptr;
        QPushButton *save = nullptr;
        QLabel *status = nullptr;
    };

    struct DiffView::SideState
    {
        std::optional<schema::Snapshot> snapshot;
        QString label;
        std::optional<ConnectionProfile> profile;
        quint64 sequence = 0;
        QPointer<Job> job;
        bool failed = false;
    };

}
