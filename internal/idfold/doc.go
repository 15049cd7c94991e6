// Package idfold folds identifiers to a key under which identifiers that
// look alike collide, for the look-alike ID lint: "alice", "Alice",
// "аlice" (Cyrillic а), "alice\u200b" (a zero-width space) and "ａｌｉｃｅ"
// (fullwidth) all fold to "alice".
//
// The key is a Unicode compatibility caseless match in the spirit of
// NFKC_Casefold (UAX #31, Unicode §3.13), with a small confusables map on
// top:
//
//   - each rune is replaced by its full compatibility decomposition after
//     full case folding (NFKD, case fold, NFKD again, until nothing
//     changes), so compatibility forms (ﬁ, ², ｆ, ℌ), precomposed and
//     decomposed accents (é and e + U+0301) and case (A, ß and ss) fold
//     together;
//   - default-ignorable code points are dropped: format characters such as
//     the soft hyphen U+00AD, U+200B–U+200F, U+202A–U+202E, U+2060–U+206F
//     and U+FEFF, variation selectors, Hangul fillers, tags (the
//     Default_Ignorable_Code_Point property of Unicode 15.0);
//   - Cyrillic and Greek letters that look like Latin letters become those
//     letters, following Unicode's UTS #39 confusables data;
//   - combining marks are put in canonical order.
//
// Two strings are NFKC-equal if and only if they are NFKD-equal, so the
// key is built from decompositions; it is a key, not a normal form, and is
// not meant to be shown.
//
// # Confusables
//
// The map covers the Cyrillic and Greek letters that UTS #39's
// confusables.txt maps to a single Latin letter, and that look like that
// letter in the case they are written in:
//
//	Cyrillic capitals  А→A В→B Е→E Ѕ→S І→I Ј→J К→K М→M Н→H О→O Р→P С→C Т→T
//	                   У→Y Х→X Ѵ→V Ү→Y Ԍ→G Ԝ→W
//	Cyrillic small     а→a е→e о→o р→p с→c у→y х→x ѕ→s і→i ј→j ѡ→w ѵ→v ү→y
//	                   һ→h ҽ→e ԁ→d ԛ→q ԝ→w
//	Greek capitals     Α→A Β→B Ε→E Ζ→Z Η→H Ι→I Κ→K Μ→M Ν→N Ο→O Ρ→P Τ→T Υ→Y
//	                   Χ→X ϒ→Y Ϝ→F Ϲ→C Ϻ→M Ϳ→J
//	Greek small        α→a γ→y ι→i ν→v ο→o ρ→p υ→u ϱ→p ϲ→c ϳ→j
//
// (UTS #39 maps І and Ι to "l", the prototype it gives I, l and 1; this
// package does not fold Latin I, l and 1 together, so it maps them to I.)
// A letter is mapped as written, before case folding, so a capital and its
// small letter may map apart where they look like different Latin letters
// (Ν→N but ν→v), and a capital whose small letter alone is in the map is
// not mapped (Г folds to г, which stays). Letters that a decomposition
// yields are mapped too, so ё (е with diaeresis) folds like ë.
//
// Not covered: Latin look-alikes (l, I and 1; rn and m; 0 and O), other
// scripts (Armenian, Cherokee, …), and look-alike digits and punctuation.
package idfold
