/*
 * C references for the rows suite: each scan is one foreign call over the same buffer the JavaScript
 * contestants read.
 */
#include <stddef.h>
#include <stdint.h>
#include <linux/taskstats.h>

/* typedef struct _MIB_TCPROW_OWNER_PID { DWORD dwState, dwLocalAddr, dwLocalPort, dwRemoteAddr,
 *   dwRemotePort, dwOwningPid; } MIB_TCPROW_OWNER_PID; */
typedef struct {
  uint32_t dwState;
  uint32_t dwLocalAddr;
  uint32_t dwLocalPort;
  uint32_t dwRemoteAddr;
  uint32_t dwRemotePort;
  uint32_t dwOwningPid;
} MIB_TCPROW_OWNER_PID;

/* Sum of dwOwningPid; a double, because the sum outgrows 32 bits and stays exact below 2^53. */
double tcp_sum_owning_pid(const uint8_t *rows, size_t n) {
  const MIB_TCPROW_OWNER_PID *row = (const MIB_TCPROW_OWNER_PID *)rows;
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++) sum += row[i].dwOwningPid;
  return (double)sum;
}

/* Writes the host-order local port of every row in state `state` to `out`; returns how many. */
size_t tcp_collect_local_ports(const uint8_t *rows, size_t n, uint32_t state, uint16_t *out) {
  const MIB_TCPROW_OWNER_PID *row = (const MIB_TCPROW_OWNER_PID *)rows;
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    if (row[i].dwState == state) {
      uint16_t port = (uint16_t)row[i].dwLocalPort;
      out[count++] = (uint16_t)((port >> 8) | (port << 8));
    }
  }
  return count;
}

/* The same 24 bytes with the two IPv4 addresses as the bytes of an in_addr: a row with arrays inside. */
typedef struct {
  uint32_t dwState;
  uint8_t dwLocalAddr[4];
  uint32_t dwLocalPort;
  uint8_t dwRemoteAddr[4];
  uint32_t dwRemotePort;
  uint32_t dwOwningPid;
} MIB_TCPROW_OWNER_PID_BYTES;
_Static_assert(sizeof(MIB_TCPROW_OWNER_PID_BYTES) == 24, "the row with arrays inside is 24 bytes");

/* Sum of dwOwningPid and the first byte of each address, as the rows suite's u8[4] group scans. */
double tcp_bytes_sum_owning_pid_and_addresses(const uint8_t *rows, size_t n) {
  const MIB_TCPROW_OWNER_PID_BYTES *row = (const MIB_TCPROW_OWNER_PID_BYTES *)rows;
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++) sum += row[i].dwOwningPid + row[i].dwLocalAddr[0] + row[i].dwRemoteAddr[0];
  return (double)sum;
}

double taskstats_sum_ac_pid(const uint8_t *rows, size_t n) {
  const struct taskstats *row = (const struct taskstats *)rows;
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++) sum += row[i].ac_pid;
  return (double)sum;
}

/* The layout as the compiler sees it, to check the TypeScript description against. */
uint32_t taskstats_size(void) { return sizeof(struct taskstats); }
uint32_t taskstats_offset_ac_pid(void) { return offsetof(struct taskstats, ac_pid); }
uint32_t taskstats_offset_ac_utime(void) { return offsetof(struct taskstats, ac_utime); }
uint32_t taskstats_offset_wpcopy_delay_total(void) { return offsetof(struct taskstats, wpcopy_delay_total); }
