#include "CKernels.h"
int raif_kernels_placeholder(void) { return 0; }
