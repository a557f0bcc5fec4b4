// binary-parser ships typings that its package.json "exports" map does not expose to ESM
// resolution (TS7016). This declares the part of its API netns-ts uses.
declare module 'binary-parser' {
  export class Parser {
    constructor();
    seek(length: number): this;
    buffer(name: string, options: { length: number; clone?: boolean }): this;
    uint8(name: string): this;
    int8(name: string): this;
    uint16le(name: string): this;
    int16le(name: string): this;
    uint32le(name: string): this;
    int32le(name: string): this;
    uint16be(name: string): this;
    uint32be(name: string): this;
    int32be(name: string): this;
    uint64le(name: string): this;
    int64le(name: string): this;
    uint64be(name: string): this;
    parse(buffer: Uint8Array): unknown;
  }
}
