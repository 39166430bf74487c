/* C references for the calls suite. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

int32_t add(int32_t a, int32_t b) { return a + b; }

/* add() as a variadic function: the variadic group's one extra argument. */
int32_t add_va(int32_t a, ...) {
  va_list ap;
  va_start(ap, a);
  int32_t b = va_arg(ap, int32_t);
  va_end(ap);
  return a + b;
}

/* The (buffer, length) shape of most C APIs; the sum keeps the call from being optimised away. */
uint32_t sum_bytes(const uint8_t *bytes, size_t length) {
  uint32_t sum = 0;
  for (size_t i = 0; i < length; i++) sum += bytes[i];
  return sum;
}

/* The batch group: one record per call, or many in one call (struct sample { uint32_t id; double value; }). */
struct sample {
  uint32_t id;
  double value;
};

double add_sample(uint32_t id, double value) { return (double)id + value; }

double add_samples(const struct sample *samples, size_t n) {
  double total = 0;
  for (size_t i = 0; i < n; i++) total += (double)samples[i].id + samples[i].value;
  return total;
}

double add_columns(const uint32_t *ids, const double *values, size_t n) {
  double total = 0;
  for (size_t i = 0; i < n; i++) total += (double)ids[i] + values[i];
  return total;
}
