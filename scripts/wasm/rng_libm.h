/*
 * Constants and tables of glibc 2.36's expf, logf and erff (rng_libm.c), shared with the vector versions in
 * rng_erfinv.c. Sources and verification: src/rng/libm.ts.
 */
#ifndef IK_RNG_LIBM_H
#define IK_RNG_LIBM_H

#include "rng.h"

float ik_expf_exact(float x);
float ik_expf_fast(float x);
float ik_logf_exact(float x);
float ik_logf_fast(float x);
float ik_erff(float x);
void ik_libm_init(void);

/* __exp2f_data.tab (EXP2F_TABLE_BITS = 5): tab[i] = uint(2^(i/32)) - (i << 47). */
extern const uint64_t EXP2F_TAB[32];
#define EXP_INVLN2N (0x1.71547652b82fep+0 * 32) /* invln2_scaled */
#define EXP_SHIFT 0x1.8p+52
#define EXP_C0 (0x1.c6af84b912394p-5 / (32 * 32 * 32)) /* poly_scaled[0..2] */
#define EXP_C1 (0x1.ebfce50fac4f3p-3 / (32 * 32))
#define EXP_C2 (0x1.62e42ff0c52d6p-1 / 32)
/* InvLn2N split into a 29-bit head and its tail (24 bits): xd * head and xd * tail are exact for float xd. */
#define EXP_INVLN2N_HI 0x1.7154765p+5
#define EXP_INVLN2N_LO ((EXP_INVLN2N) - EXP_INVLN2N_HI)

/* __logf_data (LOGF_TABLE_BITS = 4): {invc, logc} for the 16 subintervals of [OFF, 2 OFF]. */
extern const double LOGF_INVC[16];
extern const double LOGF_LOGC[16];
#define LOGF_LN2 0x1.62e42fefa39efp-1
#define LOGF_A0 (-0x1.00ea348b88334p-2)
#define LOGF_A1 0x1.5575b0be00b6ap-2
#define LOGF_A2 (-0x1.ffffef20a4123p-2)
#define LOGF_OFF 0x3f330000u

/* y0 = fma(k, Ln2, logc[i]) for k in [LOGF_KMIN, 0] (index (k - LOGF_KMIN) * 16 + i), exact; and invc = hi + lo
 * with hi cut to 29 significant bits. Filled by ik_libm_init. */
#define LOGF_KMIN (-40)
extern double ik_logf_y0[(1 - LOGF_KMIN) * 16];
extern double ik_logf_invc_hi[16], ik_logf_invc_lo[16];

#define F(b) f32_from_bits(b##u)
/* s_erff.c (fdlibm, Sun Microsystems 1993; float version by NetBSD), coefficients by their bit patterns. */
#define ERX F(0x3f58560b)
#define EFX F(0x3e0375d4)
#define EFX16 F(0x400375d4)
#define PP0 F(0x3e0375d4)
#define PP1 F(0xbea66beb)
#define PP2 F(0xbce9528f)
#define PP3 F(0xbbbd1489)
#define PP4 F(0xb7c756b1)
#define QQ1 F(0x3ecbbbce)
#define QQ2 F(0x3d852a63)
#define QQ3 F(0x3ba68116)
#define QQ4 F(0x390aee49)
#define QQ5 F(0xb684e21a)
#define PA0 F(0xbb1acdc6)
#define PA1 F(0x3ed46805)
#define PA2 F(0xbebe9208)
#define PA3 F(0x3ea2fe54)
#define PA4 F(0xbde31cc2)
#define PA5 F(0x3d1151b3)
#define PA6 F(0xbb0df9c0)
#define QA1 F(0x3dd9f331)
#define QA2 F(0x3f0a5785)
#define QA3 F(0x3d931ae7)
#define QA4 F(0x3e013307)
#define QA5 F(0x3c5f6e13)
#define QA6 F(0x3c445aa3)
#define RA0 F(0xbc21a093)
#define RA1 F(0xbf31a0b7)
#define RA2 F(0xc128f022)
#define RA3 F(0xc2798057)
#define RA4 F(0xc322658c)
#define RA5 F(0xc3389ae7)
#define RA6 F(0xc2a2932b)
#define RA7 F(0xc11d077e)
#define SA1 F(0x419d35ce)
#define SA2 F(0x4309a863)
#define SA3 F(0x43d9486f)
#define SA4 F(0x442158c9)
#define SA5 F(0x43d6810b)
#define SA6 F(0x42d9451f)
#define SA7 F(0x40d23f7c)
#define SA8 F(0xbd777f97)
#define RB0 F(0xbc21a092)
#define RB1 F(0xbf4c9dd4)
#define RB2 F(0xc18e104b)
#define RB3 F(0xc320a2ea)
#define RB4 F(0xc41f6441)
#define RB5 F(0xc480230b)
#define RB6 F(0xc3f1c275)
#define SB1 F(0x41f2b459)
#define SB2 F(0x43a2e571)
#define SB3 F(0x44c01759)
#define SB4 F(0x4547fdbb)
#define SB5 F(0x451f90ce)
#define SB6 F(0x43ed43a7)
#define SB7 F(0xc1b38712)


#endif
