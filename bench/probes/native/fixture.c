/* The C side of the ffi probes (bench/probes/): built by build.ts into .cache/probes/. */
#include <stdint.h>

/* The calls benchmark's cheapest call (bench/native/calls.c has the same one). */
int32_t add(int32_t a, int32_t b) { return a + b; }

/* Two 12-byte structs by value: what the toolkit's struct encoder is measured on. */
typedef struct { float x, y, z; } Vec3;

double vec3_dot(Vec3 a, Vec3 b) { return (double)a.x * b.x + (double)a.y * b.y + (double)a.z * b.z; }

/* One pointer parameter and an integer result, so that no result needs converting (pointer_converter.ts). */
int32_t is_set(const void *p) { return p != 0; }

/* Structs by value on each runtime against a pointer-taking function (by_value_shim.ts): [INTEGER, SSE] and
   MEMORY (32 bytes). */
typedef struct { int32_t a; double d; } bv_mixed;
bv_mixed bv_mixed_step(bv_mixed s, int32_t k) { s.a += k; s.d *= 2; return s; }
void bv_mixed_step_ptr(const bv_mixed *s, int32_t k, bv_mixed *out) { out->a = s->a + k; out->d = s->d * 2; }
typedef struct { double v[4]; } bv_big;
bv_big bv_big_step(bv_big s, int32_t k) { for (int i = 0; i < 4; i++) s.v[i] += k; return s; }
void bv_big_step_ptr(const bv_big *s, int32_t k, bv_big *out) { for (int i = 0; i < 4; i++) out->v[i] = s->v[i] + k; }
/* add() as a variadic function (bench/probes/variadic_call.ts). */
#include <stdarg.h>
int32_t add_va(int32_t a, ...) {
  va_list ap;
  va_start(ap, a);
  int32_t b = va_arg(ap, int32_t);
  va_end(ap);
  return a + b;
}
