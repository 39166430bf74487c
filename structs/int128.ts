/**
 * 128-bit integers: GCC's and Clang's `__int128` and `unsigned __int128`, as struct fields read as `bigint`.
 *
 * @module
 */
import { CODEC, type Codec } from "./_codec.ts";
import { describe } from "./_checks.ts";
import { badValue, hostLittleEndian } from "./_scalar_codec.ts";

/** A 128-bit integer field type, `i128` or `u128`: 16 bytes, aligned to 16 (x86-64 and AArch64). */
export interface Int128Type<S extends boolean = boolean> {
  /** Tells a 128-bit integer from the other field types. */
  readonly kind: "int128";
  /** The name shown in errors and introspection: `"__int128"` or `"unsigned __int128"`. */
  readonly name: string;
  /** Whether it is signed. */
  readonly signed: S;
  /** Size in bytes: 16. */
  readonly size: 16;
  /** Alignment in bytes: 16, as the System V ABIs of x86-64 and AArch64 give it. */
  readonly align: 16;
}

function int128(name: string, signed: boolean): Int128Type {
  // In host byte order: the low 64 bits first on a little-endian host.
  const low = hostLittleEndian ? 0 : 8;
  const high = hostLittleEndian ? 8 : 0;
  const codec: Codec = {
    size: 16,
    align: 16,
    readAt(dv, o) {
      const top = signed
        ? dv.getBigInt64(o + high, hostLittleEndian)
        : dv.getBigUint64(o + high, hostLittleEndian);
      return (top << 64n) | dv.getBigUint64(o + low, hostLittleEndian);
    },
    writeAt(dv, o, value, path) {
      // A safe integer number is taken, as every 64-bit field takes one.
      const v = typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : value;
      if (typeof v !== "bigint") badValue(path, name, "i64", value);
      if ((signed ? BigInt.asIntN(128, v) : BigInt.asUintN(128, v)) !== v) {
        throw new RangeError(`Cannot write "${path}": value ${describe(v)} is out of range for ${name}`);
      }
      dv.setBigUint64(o + low, BigInt.asUintN(64, v), hostLittleEndian);
      dv.setBigUint64(o + high, BigInt.asUintN(64, v >> 64n), hostLittleEndian);
    },
  };
  return Object.freeze({ kind: "int128", name, signed, size: 16, align: 16, [CODEC]: codec }) as Int128Type;
}

/**
 * GCC's and Clang's `__int128`: a signed 128-bit integer field, 16 bytes aligned to 16, read as a `bigint`.
 * Writes take a `bigint` or a safe integer number. A struct field type (and an array element), not a call
 * argument: neither runtime's FFI passes 128-bit integers.
 *
 * @example A 128-bit counter
 * ```ts
 * import { i128, struct, u8 } from "./mod.ts";
 * const Counter = struct({ tag: u8, total: i128 });
 * const bytes = Counter.encode({ tag: 1, total: -(2n ** 100n) });
 * console.log(Counter.size, Counter.read(bytes).total === -(2n ** 100n)); // 32 true
 * ```
 */
export const i128: Int128Type<true> = int128("__int128", true) as Int128Type<true>;

/** GCC's and Clang's `unsigned __int128`: an unsigned 128-bit integer field, read as a `bigint`. See `i128`. */
export const u128: Int128Type<false> = int128("unsigned __int128", false) as Int128Type<false>;
