// lode/lode.h — the whole SDK in one include, for plugin authors.
#pragma once

#include "lode/core_tables.h"
#include "lode/data_file.h"
#include "lode/document.h"
#include "lode/offsets.h"
#include "lode/output.h"
#include "lode/params.h"
#include "lode/plugin.h"
#include "lode/pool.h"
#include "lode/registry.h"
#include "lode/scratch.h"
#include "lode/stage.h"
#include "lode/status.h"
#include "lode/table.h"
#include "lode/text.h"
#include "lode/version.h"
