/** Types of `_context.mjs`. */
/** mitata's context (full) or one of the same shape with a quick calibration (quick). */
export declare function mitataContext(quick: boolean): Promise<Record<string, unknown>>;
