/**
 * The Windows structures the bindings exchange with `kernel32.dll` and `iphlpapi.dll`, as `structs/` layouts
 * for 64-bit Windows (LLP64). Each quotes the C declaration it mirrors; `tests/windows_layouts/layouts_test.ts`
 * compiles the SDK's own headers with the mingw-w64 cross compiler and compares size, alignment and every
 * field offset, nested ones included. A `[ANY_SIZE]` table is `array(Row, ANY_SIZE, { count })`: C's `sizeof`
 * counts one row, as the SDK's `#define ANY_SIZE 1` does.
 *
 * These are plain data: importing them works on any operating system.
 *
 * @module
 */
import {
  ANY_SIZE,
  array,
  type ArrayType,
  type FlexibleArray,
  type Scalar,
  scalar,
  type StructType,
} from "../structs/mod.ts";
// An `array()` field says its type with `as`: published types are read from declarations, never from calls
// (JSR's "no slow types"); tests/package/published_types_test.ts checks each equals the call's own type.
import { deferredStruct } from "../structs/_internal.ts";
import { BOOL, DWORD, LARGE_INTEGER, LPVOID, SIZE_T, ULONG_PTR, ULONGLONG } from "./types.ts";

/** Windows `UCHAR` (`unsigned char`). */
export const UCHAR: Scalar<"u8"> = scalar("UCHAR", "u8");

/*
 * typedef struct _SECURITY_ATTRIBUTES {
 *   DWORD  nLength;
 *   LPVOID lpSecurityDescriptor;
 *   BOOL   bInheritHandle;
 * } SECURITY_ATTRIBUTES, *PSECURITY_ATTRIBUTES, *LPSECURITY_ATTRIBUTES;
 */
/** The fields of `SECURITY_ATTRIBUTES`, as declared. */
export const SECURITY_ATTRIBUTES_FIELDS = {
  nLength: DWORD,
  lpSecurityDescriptor: LPVOID,
  bInheritHandle: BOOL,
} as const;
/** `SECURITY_ATTRIBUTES` (minwinbase.h): 24 bytes, the security of a new object and whether its handle is inherited. */
export const SECURITY_ATTRIBUTES: StructType<typeof SECURITY_ATTRIBUTES_FIELDS> = deferredStruct(
  SECURITY_ATTRIBUTES_FIELDS,
  { name: "SECURITY_ATTRIBUTES" },
);

/*
 * typedef struct _MIB_TCPROW_OWNER_PID {
 *   DWORD dwState;
 *   DWORD dwLocalAddr;
 *   DWORD dwLocalPort;
 *   DWORD dwRemoteAddr;
 *   DWORD dwRemotePort;
 *   DWORD dwOwningPid;
 * } MIB_TCPROW_OWNER_PID, *PMIB_TCPROW_OWNER_PID;
 */
/** The fields of `MIB_TCPROW_OWNER_PID`, as declared. */
export const MIB_TCPROW_OWNER_PID_FIELDS = {
  dwState: DWORD,
  dwLocalAddr: DWORD,
  dwLocalPort: DWORD,
  dwRemoteAddr: DWORD,
  dwRemotePort: DWORD,
  dwOwningPid: DWORD,
} as const;
/**
 * `MIB_TCPROW_OWNER_PID` (tcpmib.h): one IPv4 connection, 24 bytes. Addresses are in network byte order
 * (the bytes in memory are the dotted quad); each port is the low 16 bits of its `DWORD`, in network byte
 * order, with the high 16 bits undefined (`portFromNetworkOrder` decodes it).
 */
export const MIB_TCPROW_OWNER_PID: StructType<typeof MIB_TCPROW_OWNER_PID_FIELDS> = deferredStruct(
  MIB_TCPROW_OWNER_PID_FIELDS,
  { name: "MIB_TCPROW_OWNER_PID" },
);

/*
 * typedef struct _MIB_TCPTABLE_OWNER_PID {
 *   DWORD                dwNumEntries;
 *   MIB_TCPROW_OWNER_PID table[ANY_SIZE];
 * } MIB_TCPTABLE_OWNER_PID, *PMIB_TCPTABLE_OWNER_PID;
 */
/** The fields of `MIB_TCPTABLE_OWNER_PID`, as declared. */
export const MIB_TCPTABLE_OWNER_PID_FIELDS = {
  dwNumEntries: DWORD,
  table: array(MIB_TCPROW_OWNER_PID, ANY_SIZE, { count: "dwNumEntries" }) as FlexibleArray<
    typeof MIB_TCPROW_OWNER_PID
  >,
} as const;
/**
 * `MIB_TCPTABLE_OWNER_PID` (tcpmib.h): a count, then that many rows in place (`ANY_SIZE`). `sizeof` is 28 (one
 * row, as in C); a table of n rows takes `FIELD_OFFSET(MIB_TCPTABLE_OWNER_PID, table[n])`, 4 + 24n bytes.
 */
export const MIB_TCPTABLE_OWNER_PID: StructType<typeof MIB_TCPTABLE_OWNER_PID_FIELDS> = deferredStruct(
  MIB_TCPTABLE_OWNER_PID_FIELDS,
  { name: "MIB_TCPTABLE_OWNER_PID" },
);

/*
 * typedef struct _MIB_TCP6ROW_OWNER_PID {
 *   UCHAR ucLocalAddr[16];
 *   DWORD dwLocalScopeId;
 *   DWORD dwLocalPort;
 *   UCHAR ucRemoteAddr[16];
 *   DWORD dwRemoteScopeId;
 *   DWORD dwRemotePort;
 *   DWORD dwState;
 *   DWORD dwOwningPid;
 * } MIB_TCP6ROW_OWNER_PID, *PMIB_TCP6ROW_OWNER_PID;
 */
/** The fields of `MIB_TCP6ROW_OWNER_PID`, as declared. */
export const MIB_TCP6ROW_OWNER_PID_FIELDS = {
  ucLocalAddr: array(UCHAR, 16) as ArrayType<typeof UCHAR, false>,
  dwLocalScopeId: DWORD,
  dwLocalPort: DWORD,
  ucRemoteAddr: array(UCHAR, 16) as ArrayType<typeof UCHAR, false>,
  dwRemoteScopeId: DWORD,
  dwRemotePort: DWORD,
  dwState: DWORD,
  dwOwningPid: DWORD,
} as const;
/** `MIB_TCP6ROW_OWNER_PID` (tcpmib.h): one IPv6 connection, 56 bytes; ports as in `MIB_TCPROW_OWNER_PID`. */
export const MIB_TCP6ROW_OWNER_PID: StructType<typeof MIB_TCP6ROW_OWNER_PID_FIELDS> = deferredStruct(
  MIB_TCP6ROW_OWNER_PID_FIELDS,
  { name: "MIB_TCP6ROW_OWNER_PID" },
);

/*
 * typedef struct _MIB_TCP6TABLE_OWNER_PID {
 *   DWORD                 dwNumEntries;
 *   MIB_TCP6ROW_OWNER_PID table[ANY_SIZE];
 * } MIB_TCP6TABLE_OWNER_PID, *PMIB_TCP6TABLE_OWNER_PID;
 */
/** The fields of `MIB_TCP6TABLE_OWNER_PID`, as declared. */
export const MIB_TCP6TABLE_OWNER_PID_FIELDS = {
  dwNumEntries: DWORD,
  table: array(MIB_TCP6ROW_OWNER_PID, ANY_SIZE, { count: "dwNumEntries" }) as FlexibleArray<
    typeof MIB_TCP6ROW_OWNER_PID
  >,
} as const;
/**
 * `MIB_TCP6TABLE_OWNER_PID` (tcpmib.h): a count, then that many IPv6 rows in place (`ANY_SIZE`). `sizeof` is 60
 * (one row, as in C); a table of n rows takes 4 + 56n bytes.
 */
export const MIB_TCP6TABLE_OWNER_PID: StructType<typeof MIB_TCP6TABLE_OWNER_PID_FIELDS> = deferredStruct(
  MIB_TCP6TABLE_OWNER_PID_FIELDS,
  { name: "MIB_TCP6TABLE_OWNER_PID" },
);

/*
 * typedef struct _JOBOBJECT_BASIC_ACCOUNTING_INFORMATION {
 *   LARGE_INTEGER TotalUserTime;
 *   LARGE_INTEGER TotalKernelTime;
 *   LARGE_INTEGER ThisPeriodTotalUserTime;
 *   LARGE_INTEGER ThisPeriodTotalKernelTime;
 *   DWORD         TotalPageFaultCount;
 *   DWORD         TotalProcesses;
 *   DWORD         ActiveProcesses;
 *   DWORD         TotalTerminatedProcesses;
 * } JOBOBJECT_BASIC_ACCOUNTING_INFORMATION, *PJOBOBJECT_BASIC_ACCOUNTING_INFORMATION;
 */
/** The fields of `JOBOBJECT_BASIC_ACCOUNTING_INFORMATION`, as declared. */
export const JOBOBJECT_BASIC_ACCOUNTING_INFORMATION_FIELDS = {
  TotalUserTime: LARGE_INTEGER,
  TotalKernelTime: LARGE_INTEGER,
  ThisPeriodTotalUserTime: LARGE_INTEGER,
  ThisPeriodTotalKernelTime: LARGE_INTEGER,
  TotalPageFaultCount: DWORD,
  TotalProcesses: DWORD,
  ActiveProcesses: DWORD,
  TotalTerminatedProcesses: DWORD,
} as const;
/** `JOBOBJECT_BASIC_ACCOUNTING_INFORMATION` (winnt.h): 48 bytes; times in 100-nanosecond ticks. */
export const JOBOBJECT_BASIC_ACCOUNTING_INFORMATION: StructType<
  typeof JOBOBJECT_BASIC_ACCOUNTING_INFORMATION_FIELDS
> = deferredStruct(JOBOBJECT_BASIC_ACCOUNTING_INFORMATION_FIELDS, {
  name: "JOBOBJECT_BASIC_ACCOUNTING_INFORMATION",
});

/*
 * typedef struct _JOBOBJECT_BASIC_LIMIT_INFORMATION {
 *   LARGE_INTEGER PerProcessUserTimeLimit;
 *   LARGE_INTEGER PerJobUserTimeLimit;
 *   DWORD         LimitFlags;
 *   SIZE_T        MinimumWorkingSetSize;
 *   SIZE_T        MaximumWorkingSetSize;
 *   DWORD         ActiveProcessLimit;
 *   ULONG_PTR     Affinity;
 *   DWORD         PriorityClass;
 *   DWORD         SchedulingClass;
 * } JOBOBJECT_BASIC_LIMIT_INFORMATION, *PJOBOBJECT_BASIC_LIMIT_INFORMATION;
 */
/** The fields of `JOBOBJECT_BASIC_LIMIT_INFORMATION`, as declared. */
export const JOBOBJECT_BASIC_LIMIT_INFORMATION_FIELDS = {
  PerProcessUserTimeLimit: LARGE_INTEGER,
  PerJobUserTimeLimit: LARGE_INTEGER,
  LimitFlags: DWORD,
  MinimumWorkingSetSize: SIZE_T,
  MaximumWorkingSetSize: SIZE_T,
  ActiveProcessLimit: DWORD,
  Affinity: ULONG_PTR,
  PriorityClass: DWORD,
  SchedulingClass: DWORD,
} as const;
/** `JOBOBJECT_BASIC_LIMIT_INFORMATION` (winnt.h): 64 bytes; which limits apply is set in `LimitFlags`. */
export const JOBOBJECT_BASIC_LIMIT_INFORMATION: StructType<typeof JOBOBJECT_BASIC_LIMIT_INFORMATION_FIELDS> =
  deferredStruct(JOBOBJECT_BASIC_LIMIT_INFORMATION_FIELDS, { name: "JOBOBJECT_BASIC_LIMIT_INFORMATION" });

/*
 * typedef struct _IO_COUNTERS {
 *   ULONGLONG ReadOperationCount;
 *   ULONGLONG WriteOperationCount;
 *   ULONGLONG OtherOperationCount;
 *   ULONGLONG ReadTransferCount;
 *   ULONGLONG WriteTransferCount;
 *   ULONGLONG OtherTransferCount;
 * } IO_COUNTERS, *PIO_COUNTERS;
 */
/** The fields of `IO_COUNTERS`, as declared. */
export const IO_COUNTERS_FIELDS = {
  ReadOperationCount: ULONGLONG,
  WriteOperationCount: ULONGLONG,
  OtherOperationCount: ULONGLONG,
  ReadTransferCount: ULONGLONG,
  WriteTransferCount: ULONGLONG,
  OtherTransferCount: ULONGLONG,
} as const;
/** `IO_COUNTERS` (winnt.h): 48 bytes of I/O operation and byte counts. */
export const IO_COUNTERS: StructType<typeof IO_COUNTERS_FIELDS> = deferredStruct(IO_COUNTERS_FIELDS, {
  name: "IO_COUNTERS",
});

/*
 * typedef struct _JOBOBJECT_EXTENDED_LIMIT_INFORMATION {
 *   JOBOBJECT_BASIC_LIMIT_INFORMATION BasicLimitInformation;
 *   IO_COUNTERS                       IoInfo;
 *   SIZE_T                            ProcessMemoryLimit;
 *   SIZE_T                            JobMemoryLimit;
 *   SIZE_T                            PeakProcessMemoryUsed;
 *   SIZE_T                            PeakJobMemoryUsed;
 * } JOBOBJECT_EXTENDED_LIMIT_INFORMATION, *PJOBOBJECT_EXTENDED_LIMIT_INFORMATION;
 */
/** The fields of `JOBOBJECT_EXTENDED_LIMIT_INFORMATION`, as declared. */
export const JOBOBJECT_EXTENDED_LIMIT_INFORMATION_FIELDS = {
  BasicLimitInformation: JOBOBJECT_BASIC_LIMIT_INFORMATION,
  IoInfo: IO_COUNTERS,
  ProcessMemoryLimit: SIZE_T,
  JobMemoryLimit: SIZE_T,
  PeakProcessMemoryUsed: SIZE_T,
  PeakJobMemoryUsed: SIZE_T,
} as const;
/** `JOBOBJECT_EXTENDED_LIMIT_INFORMATION` (winnt.h): 144 bytes; the basic limits plus memory limits and I/O counts. */
export const JOBOBJECT_EXTENDED_LIMIT_INFORMATION: StructType<
  typeof JOBOBJECT_EXTENDED_LIMIT_INFORMATION_FIELDS
> = deferredStruct(JOBOBJECT_EXTENDED_LIMIT_INFORMATION_FIELDS, {
  name: "JOBOBJECT_EXTENDED_LIMIT_INFORMATION",
});

/** Every layout of this module by its C name, for tests and tools. */
// deno-lint-ignore no-explicit-any
export const layouts: Readonly<Record<string, StructType<any>>> = Object.freeze({
  SECURITY_ATTRIBUTES,
  MIB_TCPROW_OWNER_PID,
  MIB_TCPTABLE_OWNER_PID,
  MIB_TCP6ROW_OWNER_PID,
  MIB_TCP6TABLE_OWNER_PID,
  JOBOBJECT_BASIC_ACCOUNTING_INFORMATION,
  JOBOBJECT_BASIC_LIMIT_INFORMATION,
  IO_COUNTERS,
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
});
