#include "ui/main/environmentbanner.h"

#include <QColor>
#include <QHBoxLayout>
#include <QLabel>

using namespace Qt::Literals::StringLiterals;

namespace dbops
{
    EnvironmentBanner::EnvironmentBanner(QWidget *parent)
        : QFrame(parent)
        , m_environment(new QLabel(this))
        , m_detail(new QLabel(this))
        , m_status(new QLabel(this))
    {
        setObjectName(u"environmentBanner"_s);
        m_environment->setObjectName(u"bannerEnvironment"_s);
        m_detail->setObjectName(u"bannerDetail"_s);
        m_status->setObjectName(u"bannerStatus"_s);
        m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_detail->setMinimumWidth(50);
        // Long names and a failed attempt's reason wrap onto a second line: the banner never asks
        // for more width than the window has, and nothing it says is cut off.
        m_detail->setWordWrap(true);
        m_status->setWordWrap(true);
        m_status->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
        QFont envFont = m_environment->font();
        envFont.setBold(true);
        envFont.setPointSizeF(envFont.pointSizeF() * 1.15);
        envFont.setLetterSpacing(QFont::PercentageSpacing, 108);
        m_environment->setFont(envFont);

        auto *layout = new QHBoxLayout(this);
        layout->setContentsMargins(12, 6, 12, 6);
        layout->setSpacing(14);
        layout->addWidget(m_environment);
        layout->addWidget(m_detail, 3);
        layout->addWidget(m_status, 2);
        showDisconnected();
    }

    void EnvironmentBanner::showDisconnected(const QString &status)
    {
        m_production = false;
        m_environment->clear();
        m_environment->hide();
        m_detail->setText(u"Not connected — choose a profile on the left and press Connect."_s);
        m_status->setText(status);
        setStyleSheet(u"#environmentBanner { background: #eceff1; border-bottom: 1px solid #cfd8dc; }"
                      u"#environmentBanner QLabel { color: #455a64; }"_s);
        setMinimumHeight(36);
    }

    void EnvironmentBanner::showProfile(const ConnectionProfile &profile, const QString &status)
    {
        m_production = profile.isProduction();
        const QColor color(environmentColor(profile.environment));
        m_environment->setText(toString(profile.environment).toUpper());
        m_environment->show();
        QString detail = u"<b>%1</b> &nbsp;·&nbsp; %2"_s.arg(profile.name.toHtmlEscaped(), profile.targetDescription().toHtmlEscaped());
        if (!profile.project.isEmpty())
            detail += u" &nbsp;·&nbsp; project %1"_s.arg(profile.project.toHtmlEscaped());
        m_detail->setText(detail);
        m_status->setText(status);
        if (m_production)
        {
            // Unmistakable: a solid red band, white text, a thick dark border.
            setStyleSheet(u"#environmentBanner { background: %1; border: 3px solid #7f0000; }"
                          u"#environmentBanner QLabel { color: white; }"
                          u"#bannerEnvironment { font-size: %2pt; }"_s.arg(color.name())
                              .arg(qRound(font().pointSizeF() * 1.5)));
            setMinimumHeight(46);
        }
        else
        {
            const QColor tint = QColor::fromRgbF(1.0 - (1.0 - color.redF()) * 0.14, 1.0 - (1.0 - color.greenF()) * 0.14,
                                                 1.0 - (1.0 - color.blueF()) * 0.14);
            setStyleSheet(u"#environmentBanner { background: %1; border-left: 8px solid %2; border-bottom: 1px solid %2; }"
                          u"#environmentBanner QLabel { color: #1f2933; }"
                          u"#bannerEnvironment { color: %2; }"_s.arg(tint.name(), color.name()));
            setMinimumHeight(36);
        }
    }

    QString EnvironmentBanner::environmentText() const
    {
        return m_environment->isVisibleTo(this) ? m_environment->text() : QString();
    }

    QString EnvironmentBanner::statusText() const
    {
        return m_status->text();
    }

    QString EnvironmentBanner::detailText() const
    {
        return m_detail->text();
    }
}
