// mailauth 4.9.5 ships no type declarations (toolchain.md trap 13); its shapes are read in
// email-auth.mapper.ts through narrow local types.
declare module 'mailauth';
declare module 'mailauth/lib/dkim/sign';
