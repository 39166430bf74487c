// The baseline of the start-up suite (bench/startup.ts): a script that imports nothing.
const nothing = 1;
export { nothing };
