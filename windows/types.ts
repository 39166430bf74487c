/**
 * Windows data types (https://learn.microsoft.com/windows/win32/winprog/windows-data-types), 64-bit, as
 * scalars: the same constant is used in a struct's field list and in a symbol table.
 *
 * @module
 */
import { type Scalar, scalar } from "../structs/scalars.ts";

/** Windows `BOOL` (`int`, 32 bits): nonzero is true. */
export const BOOL: Scalar<"i32"> = scalar("BOOL", "i32");
/** Windows `BOOLEAN` (`unsigned char`, 8 bits). */
export const BOOLEAN: Scalar<"u8"> = scalar("BOOLEAN", "u8");
/** Windows `BYTE` (`unsigned char`, 8 bits). */
export const BYTE: Scalar<"u8"> = scalar("BYTE", "u8");
/** Windows `CHAR` (`char`, 8 bits). */
export const CHAR: Scalar<"i8"> = scalar("CHAR", "i8");
/** Windows `WCHAR` (`wchar_t`, a 16-bit UTF-16 code unit). */
export const WCHAR: Scalar<"u16"> = scalar("WCHAR", "u16");
/** Windows `WORD` (`unsigned short`, 16 bits). */
export const WORD: Scalar<"u16"> = scalar("WORD", "u16");
/** Windows `SHORT` (`short`, 16 bits). */
export const SHORT: Scalar<"i16"> = scalar("SHORT", "i16");
/** Windows `USHORT` (`unsigned short`, 16 bits). */
export const USHORT: Scalar<"u16"> = scalar("USHORT", "u16");
/** Windows `INT` (`int`, 32 bits). */
export const INT: Scalar<"i32"> = scalar("INT", "i32");
/** Windows `UINT` (`unsigned int`, 32 bits). */
export const UINT: Scalar<"u32"> = scalar("UINT", "u32");
/** Windows `LONG` (`long`, 32 bits on Windows). */
export const LONG: Scalar<"i32"> = scalar("LONG", "i32");
/** Windows `ULONG` (`unsigned long`, 32 bits on Windows). */
export const ULONG: Scalar<"u32"> = scalar("ULONG", "u32");
/** Windows `DWORD` (`unsigned long`, 32 bits on Windows). */
export const DWORD: Scalar<"u32"> = scalar("DWORD", "u32");
/** Windows `DWORD64` (`unsigned __int64`). */
export const DWORD64: Scalar<"u64"> = scalar("DWORD64", "u64");
/** Windows `QWORD` (`unsigned __int64`). */
export const QWORD: Scalar<"u64"> = scalar("QWORD", "u64");
/** Windows `LONGLONG` (`__int64`). */
export const LONGLONG: Scalar<"i64"> = scalar("LONGLONG", "i64");
/** Windows `ULONGLONG` (`unsigned __int64`). */
export const ULONGLONG: Scalar<"u64"> = scalar("ULONGLONG", "u64");
/** `LARGE_INTEGER` read as its `QuadPart`. */
export const LARGE_INTEGER: Scalar<"i64"> = scalar("LARGE_INTEGER", "i64");
/** Windows `SIZE_T` (`ULONG_PTR`, 64 bits on 64-bit Windows). */
export const SIZE_T: Scalar<"usize"> = scalar("SIZE_T", "usize");
/** Windows `SSIZE_T` (`LONG_PTR`, 64 bits on 64-bit Windows). */
export const SSIZE_T: Scalar<"isize"> = scalar("SSIZE_T", "isize");
/** Windows `ULONG_PTR`: an unsigned pointer-sized integer, 64 bits. */
export const ULONG_PTR: Scalar<"usize"> = scalar("ULONG_PTR", "usize");
/** Windows `LONG_PTR`: a signed pointer-sized integer, 64 bits. */
export const LONG_PTR: Scalar<"isize"> = scalar("LONG_PTR", "isize");
/** Windows `DWORD_PTR` (`ULONG_PTR`, 64 bits). */
export const DWORD_PTR: Scalar<"usize"> = scalar("DWORD_PTR", "usize");
/** Windows `HANDLE`: an opaque object handle, passed as a pointer. */
export const HANDLE: Scalar<"pointer"> = scalar("HANDLE", "pointer");
/** Windows `HMODULE`: a loaded module's base address, passed as a pointer. */
export const HMODULE: Scalar<"pointer"> = scalar("HMODULE", "pointer");
/** Windows `HLOCAL`: a local-heap memory handle, passed as a pointer. */
export const HLOCAL: Scalar<"pointer"> = scalar("HLOCAL", "pointer");
/** Windows `LPVOID` (`void *`). */
export const LPVOID: Scalar<"pointer"> = scalar("LPVOID", "pointer");
/** Windows `LPCVOID` (`const void *`). */
export const LPCVOID: Scalar<"pointer"> = scalar("LPCVOID", "pointer");
/** Windows `PVOID` (`void *`). */
export const PVOID: Scalar<"pointer"> = scalar("PVOID", "pointer");
