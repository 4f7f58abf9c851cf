#pragma once

#include <QWidget>
#include <pg_query.h>
