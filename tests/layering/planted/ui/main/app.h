#pragma once

#include "app/gui.h"
