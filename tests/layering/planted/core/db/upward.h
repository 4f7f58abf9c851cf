#pragma once

#include "core/store/store.h"
