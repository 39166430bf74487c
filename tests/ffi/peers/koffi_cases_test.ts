/**
 * Over 500 lines on purpose: one file per peer suite, so that each summary line counts one suite.
 *
 * koffi's own tests (Koromix/rygel src/koffi/test/: sync.js with sync.c, callbacks.js with callbacks.c,
 * union.js with union.c, async.js, posix.js), each case written again as a ffikit case over
 * tests/fixtures/peer_cases.c, with one symbol table for Deno and Bun. A case ffikit cannot express is kept,
 * skipped and counted with its reason.
 *
 * @module
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import {
  alloc,
  array,
  bool,
  buffer,
  callback,
  char,
  char16_t,
  cstring,
  cstringArg,
  dlopen,
  f32,
  f64,
  functionPointer,
  i16,
  i16be,
  i16le,
  i32,
  i32be,
  i32le,
  i64,
  i64be,
  i64le,
  i8,
  int,
  outPointer,
  ownedCString,
  ownedWcharString,
  ownedWString,
  type Pointer,
  pointer,
  readCString,
  readWcharString,
  readWString,
  short,
  size_t,
  struct,
  threadedCallback,
  u16,
  u16be,
  u16le,
  u32,
  u32be,
  u32le,
  u64,
  u64be,
  u64le,
  u8,
  uint,
  union,
  unsafeFunctionFromPointer,
  unsafeOffsetPointer,
  unsafePointerAddress,
  unsafePointerFromAddress,
  unsafeRead,
  unsafeReadBytes,
  void_,
  wcharString,
  wstring,
} from "../../../mod.ts";
import { runtime } from "../../harness.ts";
import { peerCasesPath, PeerTally } from "./_peer_cases.ts";

// The layouts of sync.c, callbacks.c and union.c (as tests/fixtures/peer_cases.c declares them).
const Pack1 = struct({ a: int });
const Pack2 = struct({ a: int, b: int });
const Pack3 = struct({ a: int, b: int, c: int });
const Float1 = struct({ f: f32 });
const Float2 = struct({ a: f32, b: f32 });
const Float3 = struct({ a: f32, b: array(f32, 2) });
const Double2 = struct({ a: f64, b: f64 });
const Double3 = struct({ a: f64, s: struct({ b: f64, c: f64 }) });
const FloatInt = struct({ f: f32, i: int });
const IntFloat = struct({ i: int, f: f32 });
const IJK1 = struct({ i: i8, j: i8, k: i8 });
const IJK4 = struct({ i: i32, j: i32, k: i32 });
const FixedBytes = struct({ buf: array(i8, 64) });
const EndianInts = struct({
  i16le: i16le,
  i16be: i16be,
  u16le: u16le,
  u16be: u16be,
  i32le: i32le,
  i32be: i32be,
  u32le: u32le,
  u32be: u32be,
  i64le: i64le,
  i64be: i64be,
  u64le: u64le,
  u64be: u64be,
});
const IJK8 = struct({ i: i64, j: i64, k: i64 });
const BFG = struct({
  a: i8,
  e: array(short, 8),
  b: i64,
  c: char,
  d: pointer, // const char *
  inner: struct({ f: f32, g: f64 }),
});
const PackedBFG = struct({
  a: i8,
  b: i64,
  c: char,
  d: pointer,
  e: short,
  inner: struct({ f: f32, g: f64 }, { packed: true }),
}, { packed: true });
const FixedString = struct({ buf: array(char, 64, { string: true }) });
const FixedWide = struct({ buf: array(char16_t, 64, { string: true }) });
const SingleU32 = struct({ v: u32 });
const SingleU64 = struct({ v: u64 });
const SingleI64 = struct({ v: i64 });
const IntContainer = struct({ values: array(int, 16), len: int });
const StrStruct = struct({ str: pointer, str16: pointer });
const BufferInfo = struct({ len: int, dummy: int, ptr: pointer });
const SingleU = union({ i8: i8, i16: i16, i32: i32, i64: i64 });
const FloatU = union({ f: f32, g: array(f32, 2) });
const DoubleOrBits = union({ d: f64, raw: u64 });
const StdPair = struct({ a: int, b: int });
const VTable = struct({ add: pointer, mul: pointer, name: pointer });
const StructCallbacks = struct({ first: pointer, second: pointer, third: pointer });
const Vec2 = struct({ x: f64, y: f64 });
const Pointers = (n: number) => struct({ p: array(pointer, n) });
const Int3 = struct({ values: array(int, 3) });

const twelve = <T>(t: T) => [t, t, t, t, t, t, t, t, t, t, t, t] as const;

const symbols = {
  GetMinusOne1: { args: [], returns: i8 },
  ConcatenateToStr4: { args: [i32, i32, i32, i32, i32, i32, i32, i32, buffer, i32], returns: pointer },
  MakePolymorphBFG: { args: [int, int, f64, buffer, buffer], returns: void_ },
  Concat16Out: { args: [buffer, buffer, buffer], returns: void_ }, // (…, char16_t **out)
  CallFree: { args: [pointer], returns: void_ },
  ReturnFixedBytes: { args: [FixedBytes], returns: FixedBytes },
  CopyEndianInts1: { args: [EndianInts, buffer], returns: void_ },
  GetLatin1String: { args: [], returns: pointer },
  UpperToInternalBuffer: { args: [buffer, buffer], returns: void_ }, // (const char *, char **out)
  WriteConfigure16: { args: [pointer, int], returns: void_ }, // C keeps the pointer: native memory
  WriteString16: { args: [buffer], returns: void_ },
  GetMinusOne2: { args: [], returns: i16 },
  GetMinusOne4: { args: [], returns: i32 },
  GetMinusOne8: { args: [pointer], returns: i64 },
  FillPack1: { args: [int, buffer], returns: void_ }, // void FillPack1(int, Pack1 *out)
  RetPack1: { args: [int], returns: Pack1 },
  AddPack1: { args: [int, buffer], returns: void_ },
  FillPack2: { args: [int, int, buffer], returns: void_ },
  RetPack2: { args: [int, int], returns: Pack2 },
  AddPack2: { args: [int, int, buffer], returns: void_ },
  FillPack3: { args: [int, int, int, buffer], returns: void_ },
  RetPack3: { args: [int, int, int], returns: Pack3 },
  PackFloat1: { args: [f32, buffer], returns: Float1 },
  ThroughFloat1: { args: [Float1], returns: Float1 },
  PackFloat2: { args: [f32, f32, buffer], returns: Float2 },
  ThroughFloat2: { args: [Float2], returns: Float2 },
  PackFloat3: { args: [f32, f32, f32, buffer], returns: Float3 },
  ThroughFloat3: { args: [Float3], returns: Float3 },
  PackDouble2: { args: [f64, f64, buffer], returns: Double2 },
  PackDouble3: { args: [f64, f64, f64, buffer], returns: Double3 },
  ReverseFloatInt: { args: [FloatInt], returns: IntFloat },
  ReverseIntFloat: { args: [IntFloat], returns: FloatInt },
  ConcatenateToInt1: { args: twelve(i8), returns: i64 },
  ConcatenateToInt4: { args: twelve(i32), returns: i64 },
  ConcatenateToInt8: { args: twelve(i64), returns: i64 },
  ConcatenateToStr1: { args: [i8, i8, i8, i8, i8, i8, i8, i8, IJK1, i8], returns: pointer },
  ConcatenateToStr8: { args: [i64, i64, i64, i64, i64, i64, i64, i64, IJK8, i64], returns: pointer },
  MakeBFG: { args: [buffer, int, f64, buffer], returns: BFG }, // BFG MakeBFG(BFG *p, int, double, const char *)
  MakePackedBFG: { args: [int, f64, buffer, buffer], returns: PackedBFG },
  sizeof_BFG: { args: [], returns: size_t },
  sizeof_PackedBFG: { args: [], returns: size_t },
  ReturnBigString: { args: [buffer], returns: ownedCString("CallFree") }, // char *ReturnBigString(const char *)
  PrintFmt: { args: [buffer], returns: ownedCString("CallFree"), variadic: true }, // char *PrintFmt(const char *, ...)
  PrintFmtWide: { args: [buffer], returns: ownedWcharString("free"), variadic: true },
  Concat16: { args: [buffer, buffer], returns: ownedWString("free") }, // char16_t *Concat16(const char16_t *, ...)
  GetFreeCalls: { args: [], returns: int },
  ReturnFixedStr: { args: [FixedString], returns: FixedString },
  ReturnFixedWide: { args: [FixedWide], returns: FixedWide },
  ThroughUInt32SS: { args: [SingleU32], returns: SingleU32 },
  ThroughUInt32SU: { args: [u32], returns: SingleU32 },
  ThroughUInt32US: { args: [SingleU32], returns: u32 },
  ThroughUInt64SS: { args: [SingleU64], returns: SingleU64 },
  ThroughUInt64SU: { args: [u64], returns: SingleU64 },
  ThroughUInt64US: { args: [SingleU64], returns: u64 },
  ThroughInt64SS: { args: [SingleI64], returns: SingleI64 },
  ThroughInt64SI: { args: [i64], returns: SingleI64 },
  ThroughInt64IS: { args: [SingleI64], returns: i64 },
  ArrayToStruct: { args: [buffer, int], returns: IntContainer },
  FillRange: { args: [int, int, buffer, int], returns: void_ },
  MultiplyIntegers: { args: [int, buffer, int], returns: void_ },
  ThroughStr: { args: [StrStruct], returns: pointer },
  ThroughStr16: { args: [StrStruct], returns: pointer },
  ReverseBytes: { args: [buffer, int], returns: void_ },
  // One C function under several signatures, as koffi's ReturnEndianInt2SL/SB/UL/UB bind ReturnEndianInt2.
  ReturnEndianInt2LB: { symbol: "ReturnEndianInt2", args: [u16be], returns: u16le },
  ReturnEndianInt2BL: { symbol: "ReturnEndianInt2", args: [u16le], returns: u16be },
  ReturnEndianInt4LB: { symbol: "ReturnEndianInt4", args: [u32be], returns: u32le },
  ReturnEndianInt4BL: { symbol: "ReturnEndianInt4", args: [u32le], returns: u32be },
  ReturnEndianInt8LB: { symbol: "ReturnEndianInt8", args: [u64be], returns: u64le },
  ReturnEndianInt8BL: { symbol: "ReturnEndianInt8", args: [u64le], returns: u64be },
  CopyEndianInts2: { args: [u16be, u32be, u64be, buffer], returns: void_ },
  UpperCaseStrAscii: { args: [buffer, buffer], returns: size_t },
  UpperCaseStrAscii16: { args: [buffer, buffer], returns: size_t },
  UpperCaseStrAscii32: { args: [buffer, buffer], returns: size_t },
  ComputeLengthUntilNul: { args: [buffer], returns: int },
  ComputeLengthUntilNul16: { args: [buffer], returns: int },
  ComputeWideLength: { args: [buffer], returns: int },
  GetBinaryIntFunction: { args: [buffer], returns: pointer },
  GetVariadicIntFunction: { args: [buffer], returns: pointer },
  FillBufferDirect: { args: [BufferInfo, int], returns: void_ },
  FillBufferIndirect: { args: [buffer, int], returns: void_ },
  BoolToInt: { args: [bool], returns: int },
  BoolToMask12: { args: twelve(bool), returns: uint },
  IfElseInt: { args: [bool, int, int], returns: int },
  IfElseStr: { args: [buffer, buffer, bool], returns: pointer },
  ReturnBool: { args: [int], returns: bool },
  sym_int: { variable: true, type: int },
  sym_str: { variable: true, type: pointer },
  sym_int3: { variable: true, type: Int3 },
  sym_int_address: { variable: true, symbol: "sym_int" },
  GetSymbolInt: { args: [], returns: int },
  GetSymbolStr: { args: [], returns: pointer },
  GetSymbolInt3: { args: [buffer], returns: void_ },
  GetUnionI64: { args: [SingleU], returns: i64 },
  MakeUnionI32: { args: [i32], returns: SingleU },
  SumFloatU: { args: [FloatU], returns: f32 },
  BitsOfDouble: { args: [DoubleOrBits], returns: u64 },
  DoubleFromBits: { args: [u64], returns: DoubleOrBits },
  CallJs: { args: [buffer, functionPointer], returns: int },
  CallPair: { args: [functionPointer, StdPair], returns: StdPair },
  CallBFG: { args: [functionPointer, buffer], returns: f64 },
  CallMixed: { args: [functionPointer], returns: f64 },
  CallQSort: { args: [buffer, size_t, size_t, functionPointer], returns: void_ },
  GetVTable: { args: [], returns: pointer },
  CallVTable: { args: [buffer, int, int], returns: int },
  CallCallbackTwice: { args: [functionPointer, int], returns: int },
  CallRecursive: { args: [functionPointer, int], returns: int },
  SumDoubles: { args: [int], returns: f64, variadic: true },
  SumInts64: { args: [int], returns: i64, variadic: true },
  SumMixed: { args: [buffer], returns: f64, variadic: true },
  ConcatenateToInt4Slow: { args: [i32, i32, i32, i32], returns: i64, nonblocking: true },
  start_thread_calls: { args: [functionPointer, int], returns: int },
  Recurse8: { args: [int, functionPointer], returns: void_ },
  ApplyMany: { args: [int, buffer, int], returns: int }, // int ApplyMany(int x, IntCallback **funcs, int length)
  ApplyStruct: { args: [int, StructCallbacks], returns: int },
  MakeVectors: { args: [int, functionPointer], returns: int },
  CallMeChar: { args: [functionPointer], returns: int },
  CallMeCharSlow: { args: [functionPointer], returns: int, nonblocking: true },
  SetCallback: { args: [functionPointer], returns: void_ },
  CallCallback: { args: [int], returns: int },
  CallFromThread: { args: [int], returns: int, nonblocking: true },
  ModifyBFG: { args: [int, f64, buffer, functionPointer, buffer], returns: BFG },
  join_thread: { args: [], returns: int, nonblocking: true },
  fail_with_errno: { args: [int], returns: int, fails: -1 },
  fail_with_errno_value: { symbol: "fail_with_errno", args: [int], returns: int, errno: true },
} as const;

const lib = dlopen(peerCasesPath, symbols);
const s = lib.symbols;
const koffi = new PeerTally("koffi");

// sync.js "Simple signed value returns"
koffi.case("sync.js GetMinusOne1/2/4/8", () => {
  assert.equal(s.GetMinusOne1(), -1);
  assert.equal(s.GetMinusOne2(), -1);
  assert.equal(s.GetMinusOne4(), -1);
  assert.equal(s.GetMinusOne8(null), -1n);
});

// sync.js "Simple tests with Pack1/2/3": an out-parameter, a by-value result, an in-out parameter.
koffi.case("sync.js Pack1: FillPack1, RetPack1, AddPack1", () => {
  const p = Pack1.encode({});
  s.FillPack1(777, p);
  assert.deepEqual(Pack1.read(p), { a: 777 });
  assert.deepEqual(s.RetPack1(6), { a: 6 });
  s.AddPack1(6, p);
  assert.deepEqual(Pack1.read(p), { a: 783 });
});
koffi.case("sync.js Pack2: FillPack2, RetPack2, AddPack2", () => {
  const p = Pack2.encode({});
  s.FillPack2(123, 456, p);
  assert.deepEqual(Pack2.read(p), { a: 123, b: 456 });
  assert.deepEqual(s.RetPack2(6, 9), { a: 6, b: 9 });
  s.AddPack2(6, 9, p);
  assert.deepEqual(Pack2.read(p), { a: 129, b: 465 });
});
koffi.case("sync.js Pack3: FillPack3, RetPack3", () => {
  const p = Pack3.encode({});
  s.FillPack3(1, 2, 3, p);
  assert.deepEqual(Pack3.read(p), { a: 1, b: 2, c: 3 });
  assert.deepEqual(s.RetPack3(6, 9, -12), { a: 6, b: 9, c: -12 });
});
koffi.notRunHere(
  "sync.js AddPack3 / MakeBFG as __fastcall / __stdcall",
  "x86-32 calling conventions, where neither runtime runs; on x86-64 they are the one convention (AddPack1 above)",
);

// sync.js "HFA tests": float and double aggregates in vector registers.
koffi.case("sync.js PackFloat1 / ThroughFloat1", () => {
  const out = Float1.encode({});
  assert.deepEqual(s.PackFloat1(2.5, out), { f: 2.5 });
  assert.deepEqual(Float1.read(out), { f: 2.5 });
  assert.deepEqual(s.ThroughFloat1({ f: -1.25 }), { f: -1.25 });
});
koffi.case("sync.js PackFloat2 / ThroughFloat2", () => {
  const out = Float2.encode({});
  assert.deepEqual(s.PackFloat2(1.5, 6.0, out), { a: 1.5, b: 6 });
  assert.deepEqual(Float2.read(out), { a: 1.5, b: 6 });
  assert.deepEqual(s.ThroughFloat2({ a: 0.5, b: 3 }), { a: 0.5, b: 3 });
});
koffi.case("sync.js PackFloat3 / ThroughFloat3 (an array inside)", () => {
  const out = Float3.encode({ b: [0, 0] });
  assert.deepEqual(s.PackFloat3(20, 30, 40, out), { a: 20, b: [30, 40] });
  assert.deepEqual(Float3.read(out), { a: 20, b: [30, 40] });
  assert.deepEqual(s.ThroughFloat3({ a: 1, b: [2, 3] }), { a: 1, b: [2, 3] });
});
koffi.case("sync.js PackDouble2", () => {
  const out = Double2.encode({});
  assert.deepEqual(s.PackDouble2(1.5, 3.0, out), { a: 1.5, b: 3 });
  assert.deepEqual(Double2.read(out), { a: 1.5, b: 3 });
});
koffi.case("sync.js PackDouble3 (nested, in memory)", () => {
  const out = Double3.encode({});
  assert.deepEqual(s.PackDouble3(1.5, 3.0, 4.0, out), { a: 1.5, s: { b: 3, c: 4 } });
  assert.deepEqual(Double3.read(out), { a: 1.5, s: { b: 3, c: 4 } });
});
koffi.case("sync.js ReverseFloatInt / ReverseIntFloat (mixed registers)", () => {
  assert.deepEqual(s.ReverseFloatInt({ f: 609, i: -4 }), { i: 609, f: -4 });
  assert.deepEqual(s.ReverseIntFloat({ i: 609, f: -4 }), { f: 609, i: -4 });
});

// sync.js "Many parameters": 12 arguments, past the registers.
koffi.case("sync.js ConcatenateToInt1 (12 × int8_t)", () => {
  assert.equal(s.ConcatenateToInt1(5, 6, 1, 2, 3, 9, 4, 4, 0, 6, 8, 7), 561239440687n);
});
koffi.case("sync.js ConcatenateToInt4 (12 × int32_t)", () => {
  assert.equal(s.ConcatenateToInt4(5, 6, 1, 2, 3, 9, 4, 4, 0, 6, 8, 7), 561239440687n);
});
koffi.case("sync.js ConcatenateToInt8 (12 × int64_t)", () => {
  assert.equal(s.ConcatenateToInt8(5n, 6n, 1n, 2n, 3n, 9n, 4n, 4n, 0n, 6n, 8n, 7n), 561239440687n);
});
koffi.case("sync.js ConcatenateToStr1 (a struct among 10 arguments)", () => {
  const out = s.ConcatenateToStr1(5, 6, 1, 2, 3, 9, 4, 4, { i: 0, j: 6, k: 8 }, 7);
  assert.equal(readCString(out!), "561239440687");
});
koffi.case("sync.js ConcatenateToStr8 (a struct in memory among 10 arguments)", () => {
  const out = s.ConcatenateToStr8(5n, 6n, 1n, 2n, 3n, 9n, 4n, 4n, { i: 0n, j: 6n, k: 8n }, 7n);
  assert.equal(readCString(out!), "561239440687");
});
koffi.case("sync.js ConcatenateToStr4 (a struct pointer among 10 arguments)", () => {
  const out = s.ConcatenateToStr4(5, 6, 1, 2, 3, 9, 4, 4, IJK4.encode({ i: 0, j: 6, k: 8 }), 7);
  assert.equal(readCString(out!), "561239440687");
});

// sync.js "Big struct": BFG and PackedBFG, results in memory, with a string pointer and a nested struct.
koffi.case("sync.js MakeBFG (a big struct by value and through a pointer)", () => {
  assert.equal(BFG.size, Number(s.sizeof_BFG()));
  const out = BFG.encode({});
  const str = cstring("Hello");
  const b = s.MakeBFG(out, 2, 7, str);
  assert.equal(b.a, 2);
  assert.deepEqual(b.e, [0, 2, 4, 6, 8, 10, 12, 14]);
  assert.equal(b.b, 4n);
  assert.equal(b.c, -25);
  assert.equal(readCString(b.d!), "Hello");
  assert.deepEqual(b.inner, { f: 14, g: 5 });
  assert.deepEqual({ ...BFG.read(out), d: null }, { ...b, d: null });
});
koffi.case("sync.js MakePackedBFG (a packed struct as a result)", () => {
  assert.equal(PackedBFG.size, Number(s.sizeof_PackedBFG()));
  const out = PackedBFG.encode({});
  const str = cstring("Hello");
  const b = s.MakePackedBFG(2, 7, out, str);
  assert.equal(b.a, 2);
  assert.equal(b.b, 4n);
  assert.equal(b.c, -25);
  assert.equal(readCString(b.d!), "Hello");
  assert.equal(b.e, 6);
  assert.deepEqual(b.inner, { f: 14, g: 5 });
});
koffi.case("sync.js MakePolymorphBFG (one void * out-parameter, two layouts)", () => {
  const str = cstring("Poly");
  const plain = BFG.encode({});
  s.MakePolymorphBFG(0, 2, 7, str, plain);
  assert.equal(BFG.read(plain).e[7], 14);
  const packed = PackedBFG.encode({});
  s.MakePolymorphBFG(1, 2, 7, str, packed);
  assert.equal(PackedBFG.read(packed).e, 6);
  assert.equal(readCString(PackedBFG.read(packed).d!), "Poly");
});

// sync.js "Big string": a result the caller frees with the library's own free.
koffi.case("sync.js ReturnBigString (disposable result freed by CallFree)", () => {
  const big = "x".repeat(200_000) + "é";
  const before = s.GetFreeCalls();
  assert.equal(s.ReturnBigString(cstring(big)), big);
  assert.equal(s.GetFreeCalls(), before + 1);
});

// sync.js "Variadic": PrintFmt builds a string (disposable) from mixed extra arguments.
koffi.case("sync.js PrintFmt (variadic, disposable result)", () => {
  const before = s.GetFreeCalls();
  const out = s.PrintFmt(
    [buffer, i32, f64, buffer],
    cstring("%s %d %g %s"),
    cstring("foo"),
    5,
    2.5,
    cstring("bar"),
  );
  assert.equal(out, "foo 5 2.5 bar");
  assert.equal(s.GetFreeCalls(), before + 1);
  assert.equal(
    s.PrintFmt([i32, i8, u8, f64, f32], cstring("%d:%d:%d:%.1f:%.2f"), 7, -2, 255, 1.5, 0.25),
    "7:-2:255:1.5:0.25",
  );
  assert.equal(
    s.PrintFmt([i64, u64], cstring("%ld %lu"), -(2n ** 63n), 2n ** 64n - 1n),
    `${-(2n ** 63n)} ${2n ** 64n - 1n}`,
  );
});
koffi.case("sync.js PrintFmtWide (variadic, wchar_t *, disposable)", () => {
  const out = s.PrintFmtWide([buffer, i32], wcharString("%ls %d"), wcharString("héllo😀"), 42);
  assert.equal(out, "héllo😀 42");
});

// sync.js "char16_t strings": Concat16 returns a string the caller frees.
koffi.case("sync.js Concat16 (UTF-16, disposable)", () => {
  assert.equal(s.Concat16(wstring("Hello "), wstring("World! 😀")), "Hello World! 😀");
});
koffi.case("sync.js Concat16Out (an out-parameter string, freed by the caller)", () => {
  const out = outPointer();
  s.Concat16Out(wstring("Hello "), wstring("Out"), out);
  assert.equal(readWString(out.value!), "Hello Out");
  s.CallFree(out.value);
});
koffi.notExpressible(
  "sync.js Concat16Out with koffi.out(koffi.pointer(Str16Free)) (freed automatically)",
  "owned strings are a result type only: an out-parameter string is read with outPointer() and freed by hand",
);

// sync.js "Fixed strings": char[64] and char16_t[64] inside structs by value.
koffi.case("sync.js ReturnFixedStr (char[64] by value)", () => {
  assert.deepEqual(s.ReturnFixedStr({ buf: "Hello World!" }), { buf: "Hello World!" });
  assert.deepEqual(s.ReturnFixedStr({ buf: "ünïcödé" }), { buf: "ünïcödé" });
});
koffi.case("sync.js ReturnFixedWide (char16_t[64] by value)", () => {
  assert.deepEqual(s.ReturnFixedWide({ buf: "Hello World! 😀" }), { buf: "Hello World! 😀" });
});
koffi.case("sync.js ReturnFixedStr with koffi.array('int8', 64) (int8_t[64] by value, as numbers)", () => {
  const buf = Array.from({ length: 64 }, (_, i) => (i * 37) % 256 - 128);
  assert.deepEqual(s.ReturnFixedBytes({ buf }), { buf });
});

// sync.js "Single-member structs": ThroughUInt32/UInt64/Int64 {UU, SS, SU, US}.
const singles: [string, () => void][] = [
  ["ThroughUInt32SS", () => assert.deepEqual(s.ThroughUInt32SS({ v: 4294967295 }), { v: 4294967295 })],
  ["ThroughUInt32SU", () => assert.deepEqual(s.ThroughUInt32SU(2147483648), { v: 2147483648 })],
  ["ThroughUInt32US", () => assert.equal(s.ThroughUInt32US({ v: 3000000000 }), 3000000000)],
  [
    "ThroughUInt64SS",
    () => assert.deepEqual(s.ThroughUInt64SS({ v: 2n ** 64n - 1n }), { v: 2n ** 64n - 1n }),
  ],
  ["ThroughUInt64SU", () => assert.deepEqual(s.ThroughUInt64SU(2n ** 63n), { v: 2n ** 63n })],
  ["ThroughUInt64US", () => assert.equal(s.ThroughUInt64US({ v: 2n ** 53n + 1n }), 2n ** 53n + 1n)],
  ["ThroughInt64SS", () => assert.deepEqual(s.ThroughInt64SS({ v: -(2n ** 63n) }), { v: -(2n ** 63n) })],
  ["ThroughInt64SI", () => assert.deepEqual(s.ThroughInt64SI(2n ** 63n - 1n), { v: 2n ** 63n - 1n })],
  ["ThroughInt64IS", () => assert.equal(s.ThroughInt64IS({ v: -1n }), -1n)],
];
for (const [name, fn] of singles) koffi.case(`sync.js ${name}`, fn);

// sync.js "Arrays": in, out, in-out; a struct holding an array as a result.
koffi.case("sync.js ArrayToStruct (int[16] inside a 68-byte result)", () => {
  const values = Int32Array.from([1, 2, -3, 4, 5]);
  const c = s.ArrayToStruct(values, values.length);
  assert.deepEqual(c.values, [1, 2, -3, 4, 5, ...new Array(11).fill(0)]);
  assert.equal(c.len, 5);
});
koffi.case("sync.js FillRange (_Out_ int *)", () => {
  const out = new Int32Array(6);
  s.FillRange(2, 7, out, out.length);
  assert.deepEqual([...out], [2, 9, 16, 23, 30, 37]);
});
koffi.case("sync.js MultiplyIntegers (_Inout_ int *)", () => {
  const values = Int32Array.from([1, 2, 3, -4]);
  s.MultiplyIntegers(3, values, values.length);
  assert.deepEqual([...values], [3, 6, 9, -12]);
});
koffi.case("sync.js ReverseBytes (_Inout_ void *)", () => {
  const bytes = Uint8Array.from([1, 2, 3, 4, 5]);
  s.ReverseBytes(bytes, bytes.length);
  assert.deepEqual([...bytes], [5, 4, 3, 2, 1]);
});

// sync.js "String pointers in structs": StrStruct by value.
koffi.case("sync.js ThroughStr / ThroughStr16 (string pointers in a struct by value)", () => {
  using str = alloc(16);
  str.bytes.set(cstring("Hello 123"));
  using str16 = alloc(32);
  new Uint16Array(str16.bytes.buffer, str16.bytes.byteOffset, 16).set(wstring("Wide ünï"));
  assert.equal(readCString(s.ThroughStr({ str: str.pointer, str16: str16.pointer })!), "Hello 123");
  assert.equal(readWString(s.ThroughStr16({ str: null, str16: str16.pointer })!), "Wide ünï");
});

// sync.js "Endian-sensitive integers": parameters and results with a byte order.
const bswap16 = (v: number) => ((v & 0xff) << 8) | (v >> 8);
const bswap32 = (v: number) => new DataView(Uint32Array.of(v).buffer).getUint32(0, false);
const bswap64 = (v: bigint) => new DataView(BigUint64Array.of(v).buffer).getBigUint64(0, false);
koffi.case("sync.js ReturnEndianInt2 (u16be in, u16le out and back)", () => {
  assert.equal(s.ReturnEndianInt2LB(0x1234), bswap16(0x1234));
  assert.equal(s.ReturnEndianInt2BL(0x1234), bswap16(0x1234));
});
koffi.case("sync.js ReturnEndianInt4", () => {
  assert.equal(s.ReturnEndianInt4LB(0x12345678), bswap32(0x12345678));
  assert.equal(s.ReturnEndianInt4BL(0xdeadbeef), bswap32(0xdeadbeef));
});
koffi.case("sync.js ReturnEndianInt8", () => {
  assert.equal(s.ReturnEndianInt8LB(0x0123456789abcdefn), bswap64(0x0123456789abcdefn));
  assert.equal(s.ReturnEndianInt8BL(0xfedcba9876543210n), bswap64(0xfedcba9876543210n));
});
koffi.case("sync.js CopyEndianInts2 (big-endian parameters, bytes checked)", () => {
  const out = new Uint8Array(14);
  s.CopyEndianInts2(0x1234, 0x56789abc, 0x0102030405060708n, out);
  assert.deepEqual([...out], [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 1, 2, 3, 4, 5, 6, 7, 8]);
});
koffi.case("sync.js CopyEndianInts1 (a struct of byte-order fields by value)", () => {
  const out = new Uint8Array(EndianInts.size);
  const value = {
    i16le: -0x1234,
    i16be: -0x1234,
    u16le: 0x1234,
    u16be: 0x1234,
    i32le: -0x12345678,
    i32be: -0x12345678,
    u32le: 0x89abcdef,
    u32be: 0x89abcdef,
    i64le: -0x123456789abcn,
    i64be: -0x123456789abcn,
    u64le: 0xfedcba9876543210n,
    u64be: 0xfedcba9876543210n,
  };
  s.CopyEndianInts1(value, out);
  assert.deepEqual(out, EndianInts.encode(value));
  const view = new DataView(out.buffer);
  assert.equal(view.getInt16(2, false), -0x1234);
  assert.equal(view.getBigUint64(48, false), 0xfedcba9876543210n);
});

// sync.js "UTF-8/16/32 strings".
koffi.case("sync.js UpperCaseStrAscii (UTF-8 in, char * out)", () => {
  const out = new Uint8Array(64);
  assert.equal(s.UpperCaseStrAscii(cstring("Hello World!"), out), 12n);
  assert.equal(readCString(out), "HELLO WORLD!");
});
koffi.case("sync.js UpperCaseStrAscii16 (char16_t)", () => {
  const out = new Uint16Array(64);
  assert.equal(s.UpperCaseStrAscii16(wstring("Hello ünï"), out), 9n);
  assert.equal(readWString(out), "HELLO üNï");
});
koffi.case("sync.js UpperCaseStrAscii32 (char32_t)", () => {
  const out = new Uint32Array(64);
  const utf32 = Uint32Array.from([..."Hi 😀!"].map((c) => c.codePointAt(0)!).concat(0));
  assert.equal(s.UpperCaseStrAscii32(utf32, out), 5n);
  assert.equal(readWcharString(out), "HI 😀!");
});
koffi.case("sync.js ComputeLengthUntilNul / ComputeLengthUntilNul16", () => {
  assert.equal(s.ComputeLengthUntilNul(cstring("Hello")), 5);
  assert.equal(s.ComputeLengthUntilNul16(wstring("Hello!")), 6);
});
koffi.case("sync.js ComputeWideLength (wchar_t *)", () => {
  assert.equal(s.ComputeWideLength(wcharString("Hello 😀")), 7);
});
koffi.case("sync.js GetLatin1String (bytes decoded as Latin-1)", () => {
  const p = s.GetLatin1String()!;
  const bytes = unsafeReadBytes(p, 12);
  assert.equal(new TextDecoder("latin1").decode(bytes), "Microsoft® é");
});
koffi.case("sync.js UpperToInternalBuffer (_Out_ char **)", () => {
  const out = outPointer();
  s.UpperToInternalBuffer(cstring("Hello World!"), out);
  assert.equal(readCString(out.value!), "HELLO WORLD!");
});
koffi.case("sync.js WriteConfigure16/WriteString16 (C keeps a buffer and writes it later)", () => {
  using memory = alloc(32);
  s.WriteConfigure16(memory.pointer, 16);
  s.WriteString16(wstring("Hello ünï 😀"));
  assert.equal(readWString(memory.bytes), "Hello ünï 😀");
  s.WriteString16(wstring("x".repeat(40)));
  assert.equal(readWString(memory.bytes), "x".repeat(15));
});

// sync.js "Function pointers": a C function pointer returned by C, called from JavaScript.
koffi.case("sync.js GetBinaryIntFunction (call a returned function pointer)", () => {
  const add = unsafeFunctionFromPointer(s.GetBinaryIntFunction(cstring("add"))!, {
    args: [int, int],
    returns: int,
  });
  const sub = unsafeFunctionFromPointer(s.GetBinaryIntFunction(cstring("substract"))!, {
    args: [int, int],
    returns: int,
  });
  assert.equal(add(4, 5), 9);
  assert.equal(sub(4, 5), -1);
  assert.equal(s.GetBinaryIntFunction(cstring("missing")), null);
  assert.throws(() => unsafeFunctionFromPointer(null as never, { args: [], returns: void_ }), TypeError);
});
koffi.case("sync.js GetVariadicIntFunction (a variadic function pointer)", () => {
  const sum = unsafeFunctionFromPointer(s.GetVariadicIntFunction(cstring("sum"))!, {
    args: [int],
    returns: int,
    variadic: true,
  });
  assert.equal(sum([int, int, int], 3, 10, 20, 30), 60);
  assert.equal(sum.shape(int, int, int, int, int, int, int, int)(8, 1, 2, 3, 4, 5, 6, 7, 8), 36);
});

// sync.js "Struct with pointer by value / by pointer".
koffi.case("sync.js FillBufferDirect (a pointer inside a struct by value)", () => {
  using memory = alloc(16);
  s.FillBufferDirect({ len: 10, dummy: 0, ptr: memory.pointer }, 0x41);
  assert.deepEqual([...memory.bytes], [...new Array(10).fill(0x41), 0, 0, 0, 0, 0, 0]);
});
koffi.case("sync.js FillBufferIndirect (const BufferInfo *)", () => {
  using memory = alloc(8);
  s.FillBufferIndirect(BufferInfo.encode({ len: 5, ptr: memory.pointer }), 7);
  assert.deepEqual([...memory.bytes], [7, 7, 7, 7, 7, 0, 0, 0]);
});

// sync.js "Booleans".
koffi.case("sync.js BoolToInt / ReturnBool", () => {
  assert.equal(s.BoolToInt(true), 1);
  assert.equal(s.BoolToInt(false), 0);
  assert.equal(s.ReturnBool(0), false);
  assert.equal(s.ReturnBool(-5), true);
});
koffi.case("sync.js BoolToMask12 (12 bools, past the registers)", () => {
  const bits = [true, false, true, true, false, false, true, false, false, true, true, true] as const;
  assert.equal(s.BoolToMask12(...bits), 0b101100100111);
});
koffi.case("sync.js IfElseInt / IfElseStr", () => {
  assert.equal(s.IfElseInt(true, 24, 42), 24);
  assert.equal(s.IfElseInt(false, 24, 42), 42);
  const a = cstring("yes");
  const b = cstring("no");
  assert.equal(readCString(s.IfElseStr(a, b, true)!), "yes");
  assert.equal(readCString(s.IfElseStr(a, b, false)!), "no");
});

// sync.js "Symbols": lib.symbol('sym_int', 'int'), sym_str, sym_int3: global variables read and written.
koffi.case("sync.js sym_int (a global int, written from JavaScript, read by C)", () => {
  s.sym_int.value = 424242;
  assert.equal(s.GetSymbolInt(), 424242);
  s.sym_int.value = -1;
  assert.equal(s.GetSymbolInt(), -1);
  assert.equal(unsafeRead(s.sym_int_address, int), -1);
});
koffi.case("sync.js sym_str (a global const char *)", () => {
  using text = alloc(8);
  text.bytes.set(cstring("Hello"));
  s.sym_str.value = text.pointer;
  assert.equal(readCString(s.GetSymbolStr()!), "Hello");
  s.sym_str.value = null;
  assert.equal(s.GetSymbolStr(), null);
});
koffi.case("sync.js sym_int3 (a global int[3])", () => {
  s.sym_int3.values.set(0, 5);
  s.sym_int3.values.set(1, -6);
  s.sym_int3.values.set(2, 7);
  const out = new Int32Array(3);
  s.GetSymbolInt3(out);
  assert.deepEqual([...out], [5, -6, 7]);
});

// union.js: unions by value, both ways.
koffi.case("union.js GetUnionI64 / MakeUnionI32 (an integer union)", () => {
  assert.equal(s.GetUnionI64(SingleU.encode({ i64: -(2n ** 40n) })), -(2n ** 40n));
  const u = s.MakeUnionI32(-7);
  assert.equal(u.i32, -7);
  assert.equal(u.i64, 0xfffffff9n);
});
koffi.case("union.js SumFloatU (a union of floats in a vector register)", () => {
  assert.equal(s.SumFloatU(FloatU.encode({ g: [1.5, 2.25] })), 3.75);
});
koffi.case("union.js BitsOfDouble / DoubleFromBits (union { double; uint64_t })", () => {
  assert.equal(s.BitsOfDouble(DoubleOrBits.encode({ d: 1.5 })), 0x3ff8000000000000n);
  assert.equal(s.DoubleFromBits(0x4004000000000000n).d, 2.5);
});

// callbacks.js
koffi.case("callbacks.js CallJs (a callback receiving a string and an int)", () => {
  let seen = "";
  using cb = callback({ args: [pointer, int], returns: int }, (str, len) => {
    seen = readCString(str!);
    return len * 2;
  });
  assert.equal(s.CallJs(cstring("Niels"), cb), 10);
  assert.equal(seen, "Niels");
});
koffi.case("callbacks.js a callback taking and returning a struct by value", () => {
  using cb = callback({ args: [StdPair, f64], returns: StdPair }, (p, scale) => ({
    a: p.a * scale,
    b: p.b + 1,
  }));
  assert.deepEqual(s.CallPair(cb, { a: 21, b: -3 }), { a: 42, b: -2 });
});
koffi.case("callbacks.js a callback taking and returning a big struct (BFG) by value", () => {
  using cb = callback({ args: [int, f64, BFG], returns: BFG }, (x, y, bfg) => {
    assert.equal(readCString(bfg.d!), "cb");
    return { ...bfg, a: bfg.a + x, b: bfg.b * 2n, inner: { f: 0, g: bfg.inner.g + y } };
  });
  const str = cstring("cb");
  // in = MakeBFG(7, 1.5): a 7, b 14, e[7] 49, inner.g -5.5 → a 14, b 28, g -4
  assert.equal(s.CallBFG(cb, str), 14 + 28 + -4 + 49);
});
koffi.case("callbacks.js a callback with 12 mixed arguments (past the registers)", () => {
  const args: unknown[] = [];
  using cb = callback(
    { args: [i8, f64, i32, f32, i64, f64, u16, f64, i32, f64, f64, i64], returns: f64 },
    (...values) => {
      args.push(...values);
      return 0.5;
    },
  );
  assert.equal(s.CallMixed(cb), 0.5);
  assert.deepEqual(args, [-3, 1.25, 7, 2.5, 1099511627776n, 3.5, 65535, 4.5, -8, 5.5, 6.5, -1n]);
});
koffi.case("callbacks.js CallQSort (qsort with a JavaScript comparator)", () => {
  const values = Int32Array.from([5, -2, 99, 0, 7, -100, 3]);
  using compare = callback(
    { args: [pointer, pointer], returns: int },
    (a, b) => unsafeRead(a!, i32) - unsafeRead(b!, i32),
  );
  s.CallQSort(values, values.length, 4, compare);
  assert.deepEqual([...values], [-100, -2, 0, 3, 5, 7, 99]);
});
koffi.case("callbacks.js a struct of C function pointers (vtable) read and called", () => {
  const vt = unsafeRead(s.GetVTable()!, VTable);
  const add = unsafeFunctionFromPointer(vt.add!, { args: [int, int], returns: int });
  const mul = unsafeFunctionFromPointer(vt.mul!, { args: [int, int], returns: int });
  assert.equal(add(6, 7), 13);
  assert.equal(mul(6, 7), 42);
  assert.equal(readCString(vt.name!), "arith");
  assert.equal(s.CallVTable(unsafeReadBytes(s.GetVTable()!, VTable.size), 6, 7), 13042);
});
koffi.case("callbacks.js a struct of JavaScript callbacks (vtable) called by C", () => {
  using add = callback({ args: [int, int], returns: int }, (a, b) => a - b); // not C's: proves JS ran
  using mul = callback({ args: [int, int], returns: int }, (a, b) => a * b * 2);
  const vt = VTable.encode({ add: add.pointer, mul: mul.pointer, name: null });
  assert.equal(s.CallVTable(vt, 6, 7), -1 * 1000 + 84);
});
koffi.case("callbacks.js a callback called twice, and one that re-enters C", () => {
  using twice = callback({ args: [int], returns: int }, (x) => x * 3);
  assert.equal(s.CallCallbackTwice(twice, 2), 18);
  const recurse = callback({ args: [int], returns: int }, (x): number => x + s.CallRecursive(recurse, x - 1));
  assert.equal(s.CallRecursive(recurse, 10), 55);
  recurse.close();
});
koffi.case("callbacks.js koffi.register with a this-bound function", () => {
  const counter = {
    total: 0,
    add(this: { total: number }, x: number) {
      this.total += x;
      return this.total;
    },
  };
  using cb = callback({ args: [int], returns: int }, counter.add.bind(counter));
  assert.equal(s.CallCallbackTwice(cb, 5), 10);
  assert.equal(counter.total, 10);
});

koffi.case("callbacks.js Recurse8 (9 mixed parameters, recursing through C)", () => {
  const seen: unknown[][] = [];
  const fn = callback(
    { args: [int, int, f64, int, int, int, int, f32, int], returns: void_ },
    (i, ...values) => {
      seen.push(values);
      if (i) s.Recurse8(i - 1, fn);
    },
  );
  s.Recurse8(3, fn);
  fn.close();
  const columns = seen[0]!.map((_, k) => seen.map((row) => row[k]));
  assert.deepEqual(columns, [
    [6, 4, 2, 0],
    [4, 3, 2, 1],
    [7, 5, 3, 1],
    [0, 1, 2, 3],
    [103, 102, 101, 100],
    [1, 0, 1, 0],
    [-4, -3, -2, -1],
    [-4, -3, -2, -1],
  ]);
});
koffi.case("callbacks.js ApplyMany (an array of callbacks)", () => {
  using a = callback({ args: [int], returns: int }, (x) => x * 5);
  using b = callback({ args: [int], returns: int }, (x) => x - 42);
  using c = callback({ args: [int], returns: int }, (x) => -x);
  const table = Pointers(3).encode({ p: [a.pointer, b.pointer, c.pointer] });
  assert.equal(s.ApplyMany(27, table, 3), -93);
});
koffi.case("callbacks.js ApplyStruct (a struct of callbacks by value)", () => {
  using first = callback({ args: [int], returns: int }, (x) => -x);
  using second = callback({ args: [int], returns: int }, (x) => x * 5);
  using third = callback({ args: [int], returns: int }, (x) => x - 42);
  assert.equal(
    s.ApplyStruct(27, { first: first.pointer, second: second.pointer, third: third.pointer }),
    -177,
  );
});
koffi.case("callbacks.js persistent callback: SetCallback then CallCallback", () => {
  using negate = callback({ args: [int], returns: int }, (x) => -x);
  s.SetCallback(negate);
  assert.equal(s.CallCallback(27), -27);
  class Multiplier {
    constructor(readonly k: number) {}
    multiply(x: number): number {
      return this.k * x;
    }
  }
  const mult = new Multiplier(5);
  using bound = callback({ args: [int], returns: int }, mult.multiply.bind(mult));
  s.SetCallback(bound);
  assert.equal(s.CallCallback(42), 210);
});
koffi.case("callbacks.js MakeVectors (a callback decoding a Vec2 * it receives)", () => {
  assert.equal(Vec2.size, 16);
  using cb = callback({ args: [int, pointer], returns: int }, (len, ptr) => {
    for (let i = 0; i < len; i++) {
      assert.equal(unsafeRead(ptr!, f64, i * 16), i);
      assert.equal(unsafeRead(ptr!, f64, i * 16 + 8), 0 - i + 0); // C stores (double)-i: +0 for 0
      assert.deepEqual(unsafeRead(ptr!, Vec2, i * 16), { x: i, y: 0 - i + 0 });
    }
    const all = new Float64Array(unsafeReadBytes(ptr!, 80).slice().buffer);
    assert.deepEqual([...all], [0, 0, 1, -1, 2, -2, 3, -3, 4, -4]);
    return 424242;
  });
  assert.equal(s.MakeVectors(5, cb), 424242);
});
koffi.case("callbacks.js CallQSort of char * strings (koffi.as(array, 'char **'))", () => {
  const words = ["foo", "bar", "123", "foobar"];
  using text = alloc(64);
  const pointers: Pointer[] = [];
  let at = 0;
  for (const word of words) {
    text.bytes.set(cstring(word), at);
    pointers.push(unsafeOffsetPointer(text.pointer, at));
    at += word.length + 1;
  }
  const array = Pointers(4).encode({ p: pointers });
  using compare = callback({ args: [pointer, pointer], returns: int }, (a, b) => {
    const x = readCString(unsafeRead(a!, pointer)!);
    const y = readCString(unsafeRead(b!, pointer)!);
    return x < y ? -1 : x > y ? 1 : 0;
  });
  s.CallQSort(array, 4, 8, compare);
  assert.deepEqual(Pointers(4).read(array).p.map((p) => readCString(p!)), ["123", "bar", "foo", "foobar"]);
});
koffi.case("callbacks.js CallMeChar (a call into C from inside a callback)", () => {
  const chars = [97, 98];
  using cb = callback({ args: [int, char], returns: int }, (idx, c) => {
    assert.equal(s.GetMinusOne1(), -1);
    assert.equal(c, chars[idx]);
    return c;
  });
  assert.equal(s.CallMeChar(cb), 97 + 98);
});
koffi.case("callbacks.js ModifyBFG (a callback taking and returning BFG, with a new string)", () => {
  using text = alloc(8);
  text.bytes.set(cstring("New!"));
  const out = BFG.encode({});
  const str = cstring("Yo!");
  using cb = callback({ args: [BFG], returns: BFG }, (bfg) => ({
    ...bfg,
    inner: { ...bfg.inner, f: -bfg.inner.f },
    d: text.pointer,
  }));
  const bfg = s.ModifyBFG(2, 5, str, cb, out);
  assert.deepEqual({ ...bfg, d: null }, {
    a: 2,
    e: [0, 2, 4, 6, 8, 10, 12, 14],
    b: 4n,
    c: -25,
    d: null,
    inner: { f: -10, g: 3 },
  });
  assert.equal(readCString(bfg.d!), "New!");
  assert.equal(readCString(BFG.read(out).d!), "Yo!");
});
const asyncReturn = "on Bun a thread-safe callback must return void (Bun gives C 0 at once)";
if (runtime === "bun") {
  koffi.notExpressible(
    "callbacks.js CallMeChar.async (a callback returning a value during an async call)",
    asyncReturn,
  );
  koffi.notExpressible(
    "callbacks.js CallFromThread (a callback returning a value from another thread)",
    asyncReturn,
  );
} else {
  koffi.case(
    "callbacks.js CallMeChar.async (a callback returning a value during an async call)",
    async () => {
      using cb = threadedCallback({ args: [int, char], returns: int }, (idx, c) => (idx + 1) * c);
      assert.equal(await s.CallMeCharSlow(cb), 97 + 2 * 98);
    },
  );
  koffi.case("callbacks.js CallFromThread (a callback returning a value from another thread)", async () => {
    using cb = threadedCallback({ args: [int], returns: int }, (x) => -x - 2);
    s.SetCallback(cb);
    assert.equal(await s.CallFromThread(27), -29);
  });
}

// Variadic cases of the list, written over koffi's VariadicIntFunc shape.
koffi.case("variadic: 10 doubles (more than eight vector registers)", () => {
  const d = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5] as const;
  const expected = d.reduce((sum: number, v, i) => sum + v * (i + 1), 0);
  assert.equal(s.SumDoubles([f64, f64, f64, f64, f64, f64, f64, f64, f64, f64], 10, ...d), expected);
  assert.equal(s.SumDoubles.shape(f64)(1, 2.25), 2.25);
  assert.equal(s.SumDoubles([f32, f32], 2, 0.5, 0.25), 1); // f32 promoted to double
});
koffi.case("variadic: 9 int64s (past six registers, on the stack)", () => {
  const values = [1n, -2n, 3n, 4n, -5n, 6n, 7n, 2n ** 40n, -(2n ** 50n)] as const;
  const expected = values.reduce((r: bigint, v) => r * 3n + v, 0n);
  assert.equal(s.SumInts64([i64, i64, i64, i64, i64, i64, i64, i64, i64], 9, ...values), expected);
});
koffi.case("variadic: mixed ints, doubles, int64s and strings", () => {
  const kinds = "idplidd";
  // s = s * 2 + v for i 3, d 0.5, p "four" (4), l 2^40, i -1, d 1.25, d 3
  let expected = 0;
  for (const v of [3, 0.5, 4, 2 ** 40, -1, 1.25, 3]) expected = expected * 2 + v;
  assert.equal(
    s.SumMixed(
      [i32, f64, buffer, i64, i32, f64, f64],
      cstring(kinds),
      3,
      0.5,
      cstring("four"),
      2n ** 40n,
      -1,
      1.25,
      3,
    ),
    expected,
  );
});
koffi.case("variadic: a wrong extra type is a named error", () => {
  assert.throws(() => s.SumDoubles([f64], 1, "x" as never), TypeError);
  const loose = s.SumDoubles as unknown as (...args: unknown[]) => number;
  assert.throws(() => loose([f64, f64], 2, 1.5), TypeError); // one extra value short
});

// async.js: calls on another thread, several at once.
koffi.case("async.js ConcatenateToInt4 async (4 calls at once)", async () => {
  const results = await Promise.all([
    s.ConcatenateToInt4Slow(1, 2, 3, 4),
    s.ConcatenateToInt4Slow(5, 6, 7, 8),
    s.ConcatenateToInt4Slow(9, 10, 11, 12),
    s.ConcatenateToInt4Slow(-1, 0, 0, 1),
  ]);
  assert.deepEqual(results, [1002003004n, 5006007008n, 9010011012n, -999999999n]);
});

// posix.js: errno.
koffi.case("posix.js errno (a failed call's errno, thrown or returned)", () => {
  assert.throws(() => s.fail_with_errno(2), { name: "SyscallError", errno: 2 });
  assert.deepEqual(s.fail_with_errno_value(13), { value: -1, errno: 13 });
});
koffi.notRunHere(
  "win32.js (stdcall/fastcall, GetLastError, Win32 structs)",
  "Windows-only; covered by tests/windows/",
);
koffi.notRunHere("raylib.js (a third-party library)", "raylib is not installed here");

// sqlite.js: a real library through out-pointers, SQLITE_TRANSIENT and text results.
const sqliteSymbols = {
  sqlite3_open_v2: { args: [cstringArg, buffer, int, pointer], returns: int }, // (…, sqlite3 **db, int, const char *)
  sqlite3_exec: { args: [pointer, cstringArg, pointer, pointer, pointer], returns: int },
  sqlite3_prepare_v2: { args: [pointer, cstringArg, int, buffer, pointer], returns: int },
  sqlite3_reset: { args: [pointer], returns: int },
  sqlite3_bind_text: { args: [pointer, int, cstringArg, int, pointer], returns: int },
  sqlite3_bind_int: { args: [pointer, int, int], returns: int },
  sqlite3_column_text: { args: [pointer, int], returns: pointer }, // const unsigned char *
  sqlite3_column_int: { args: [pointer, int], returns: int },
  sqlite3_step: { args: [pointer], returns: int },
  sqlite3_finalize: { args: [pointer], returns: int },
  sqlite3_close_v2: { args: [pointer], returns: int },
} as const;
koffi.case("sqlite.js insert 200 rows with SQLITE_TRANSIENT, read them back", () => {
  using sqlite = dlopen("libsqlite3.so.0", sqliteSymbols);
  const q = sqlite.symbols;
  const SQLITE_TRANSIENT = unsafePointerFromAddress(2n ** 64n - 1n); // (void *)-1
  const filename = join(mkdtempSync(join(tmpdir(), "ffikit-sqlite-")), "test.db");
  const expected = Array.from({ length: 200 }, (_, i) => [`TXT ${i}`, i % 7, `abc ${i % 7}`] as const);
  const out = outPointer();
  assert.equal(q.sqlite3_open_v2(cstring(filename), out, 0x2 | 0x4, null), 0); // READWRITE | CREATE
  const db = out.value!;
  try {
    const create = "CREATE TABLE foo (id INTEGER PRIMARY KEY, bar TEXT, value INT, bar2 TEXT);";
    assert.equal(q.sqlite3_exec(db, cstring(create), null, null, null), 0);
    assert.equal(
      q.sqlite3_prepare_v2(
        db,
        cstring("INSERT INTO foo (bar, value, bar2) VALUES (?1, ?2, ?3)"),
        -1,
        out,
        null,
      ),
      0,
    );
    let stmt = out.value!;
    for (const [bar, value, bar2] of expected) {
      q.sqlite3_reset(stmt);
      q.sqlite3_bind_text(stmt, 1, cstring(bar), -1, SQLITE_TRANSIENT);
      q.sqlite3_bind_int(stmt, 2, value);
      q.sqlite3_bind_text(stmt, 3, cstring(bar2), -1, SQLITE_TRANSIENT);
      assert.equal(q.sqlite3_step(stmt), 101); // SQLITE_DONE
    }
    assert.equal(q.sqlite3_finalize(stmt), 0);
    assert.equal(
      q.sqlite3_prepare_v2(db, cstring("SELECT id, bar, value, bar2 FROM foo ORDER BY id"), -1, out, null),
      0,
    );
    stmt = out.value!;
    expected.forEach(([bar, value, bar2], i) => {
      assert.equal(q.sqlite3_step(stmt), 100); // SQLITE_ROW
      assert.equal(q.sqlite3_column_int(stmt, 0), i + 1);
      assert.equal(readCString(q.sqlite3_column_text(stmt, 1)!), bar);
      assert.equal(q.sqlite3_column_int(stmt, 2), value);
      assert.equal(readCString(q.sqlite3_column_text(stmt, 3)!), bar2);
    });
    assert.equal(q.sqlite3_step(stmt), 101);
    // koffi.address(stmt): the address as a bigint, and a pointer made again from it
    const raw = unsafePointerAddress(stmt);
    assert.equal(typeof raw, "bigint");
    assert.equal(q.sqlite3_finalize(unsafePointerFromAddress(raw)), 0);
  } finally {
    q.sqlite3_close_v2(db);
    rmSync(dirname(filename), { recursive: true });
  }
});

// callbacks.js "CallThreaded": a JavaScript function called from threads C starts.
koffi.case("callbacks.js CallThreaded (a callback from another thread)", async () => {
  const seen: number[] = [];
  using cb = threadedCallback({ args: [i32, i32], returns: void_ }, (i, j) => {
    seen.push(i * 1000 + j);
  });
  assert.equal(s.start_thread_calls(cb, 20), 0);
  assert.equal(await s.join_thread(), 0);
  for (let i = 0; i < 500 && seen.length < 20; i++) await new Promise((r) => setTimeout(r, 2));
  assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => i * 1000 + i * 3));
});

koffi.summary();
