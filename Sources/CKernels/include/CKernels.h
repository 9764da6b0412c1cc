int raif_kernels_placeholder(void);
