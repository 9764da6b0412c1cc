#include "CCLD2.h"
int raif_cld2_placeholder(void) { return 0; }
