#ifndef RAIF_CJSONC_SHIM_H
#define RAIF_CJSONC_SHIM_H
#include <json-c/json.h>
#endif
