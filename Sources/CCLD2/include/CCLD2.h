int raif_cld2_placeholder(void);
