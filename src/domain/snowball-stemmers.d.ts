// snowball-stemmers ships no types: the part of its API the desk uses.
declare module 'snowball-stemmers' {
  /** the stemmer of a language by its Snowball name ('russian', 'english', …) */
  export function newStemmer(language: string): { stem(word: string): string };
  export function algorithms(): string[];
}
