package trail

import (
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/sodkit/sodkit/internal/strictjson"
)

// CheckpointFormat names the version of the checkpoint format and starts
// every signed checkpoint message.
const CheckpointFormat = "sodkit.checkpoint/v1"

// The signature algorithms a Key can use.
const (
	// AlgEd25519 signs with an Ed25519 private key; anyone with the public
	// key can verify, and only the private key's holder can sign.
	AlgEd25519 = "ed25519"
	// AlgHMACSHA256 authenticates with a shared secret: whoever can verify
	// can also forge. Prefer Ed25519 when verifiers should not be able to
	// sign.
	AlgHMACSHA256 = "hmac-sha256"
)

// MinHMACKeyBytes is the shortest secret HMACKey accepts.
const MinHMACKeyBytes = 32

// Errors returned by Key.
var (
	// ErrNoKey: the zero Key, or a verify-only key asked to sign.
	ErrNoKey = errors.New("no signing key")
	// ErrBadSignature: a checkpoint's signature, algorithm or key ID does
	// not match the key.
	ErrBadSignature = errors.New("checkpoint signature does not verify")
	// ErrNoCheckpoints: a checkpoint store holds no checkpoint. Verifying
	// against it would check the chain alone, which cannot see a log cut
	// short or rewritten to its end, so ReadCheckpoints refuses it: a
	// wiped or never-written store is not mistaken for one the log
	// matched.
	ErrNoCheckpoints = errors.New("the checkpoint store holds no checkpoint")
)

// Key signs and verifies checkpoints, with Ed25519 or HMAC-SHA256 from the
// standard library. Build one with Ed25519Key, Ed25519PublicKey, HMACKey or
// ParseKeyPEM.
//
// A Key is immutable and safe for concurrent use. The zero Key holds no key:
// Sign and Verify fail with ErrNoKey.
type Key struct {
	alg    string
	id     string
	priv   ed25519.PrivateKey // nil for a verify-only Ed25519 key
	pub    ed25519.PublicKey
	secret []byte
}

// Ed25519Key returns a key that signs with priv and verifies with its
// public half. The key is copied.
func Ed25519Key(priv ed25519.PrivateKey) (Key, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return Key{}, fmt.Errorf("ed25519 private key is %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	priv = slices.Clone(priv)
	k, err := Ed25519PublicKey(priv.Public().(ed25519.PublicKey))
	k.priv = priv
	return k, err
}

// Ed25519PublicKey returns a verify-only key. The key is copied.
func Ed25519PublicKey(pub ed25519.PublicKey) (Key, error) {
	if len(pub) != ed25519.PublicKeySize {
		return Key{}, fmt.Errorf("ed25519 public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	sum := sha256.Sum256(pub)
	return Key{alg: AlgEd25519, id: hex.EncodeToString(sum[:8]), pub: slices.Clone(pub)}, nil
}

// HMACKey returns a key that signs and verifies with HMAC-SHA256 under
// secret, which must hold at least MinHMACKeyBytes bytes. The secret is
// copied.
func HMACKey(secret []byte) (Key, error) {
	if len(secret) < MinHMACKeyBytes {
		return Key{}, fmt.Errorf("hmac secret is %d bytes, want at least %d", len(secret), MinHMACKeyBytes)
	}
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(CheckpointFormat + " key id"))
	return Key{alg: AlgHMACSHA256, id: hex.EncodeToString(h.Sum(nil)[:8]), secret: slices.Clone(secret)}, nil
}

// ParseKeyPEM parses an Ed25519 key in PEM: a "PRIVATE KEY" block (PKCS #8,
// as written by `openssl genpkey -algorithm ed25519`) gives a signing key, a
// "PUBLIC KEY" block (PKIX, `openssl pkey -pubout`) a verify-only one.
func ParseKeyPEM(data []byte) (Key, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return Key{}, errors.New("no PEM block found")
	}
	switch block.Type {
	case "PRIVATE KEY":
		k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
		if err != nil {
			return Key{}, err
		}
		priv, ok := k.(ed25519.PrivateKey)
		if !ok {
			return Key{}, fmt.Errorf("PEM private key is a %T, want an Ed25519 key", k)
		}
		return Ed25519Key(priv)
	case "PUBLIC KEY":
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return Key{}, err
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return Key{}, fmt.Errorf("PEM public key is a %T, want an Ed25519 key", k)
		}
		return Ed25519PublicKey(pub)
	}
	return Key{}, fmt.Errorf("PEM block %q, want PRIVATE KEY or PUBLIC KEY", block.Type)
}

// Algorithm returns AlgEd25519, AlgHMACSHA256, or "" for the zero Key.
func (k Key) Algorithm() string { return k.alg }

// ID returns the key's identifier, 16 hex digits derived from the public
// key (Ed25519) or, through HMAC, from the secret; "" for the zero Key. It
// names the key in checkpoints without revealing a secret.
func (k Key) ID() string { return k.id }

// CanSign reports whether k can sign: an Ed25519 private key or an HMAC
// secret.
func (k Key) CanSign() bool { return k.priv != nil || k.secret != nil }

// Public returns the verify-only form of an Ed25519 key. Other keys are
// returned unchanged (an HMAC key cannot be split).
func (k Key) Public() Key {
	if k.alg == AlgEd25519 {
		k.priv = nil
	}
	return k
}

// Checkpoint is a signed statement of a log's head: "this log held Size
// entries, the last of which hashed to Hash". Keep checkpoints apart from the
// log (another machine, write-once storage): Verify then detects a log cut
// short, rolled back or rewritten up to the checkpoint.
//
// The zero Checkpoint is unsigned; Verify rejects it.
type Checkpoint struct {
	// Origin names the log, a label of printable characters (no line
	// breaks), for example "decisions.log". It is signed but not checked
	// against anything.
	Origin string `json:"origin,omitempty"`
	// Head is the log's size and head hash.
	Head
	// Time is when the checkpoint was made, in UTC.
	Time time.Time `json:"time"`
	// Algorithm is the signing algorithm, AlgEd25519 or AlgHMACSHA256;
	// Key.Sign sets it.
	Algorithm string `json:"alg"`
	// KeyID is the ID of the key that signed (see Key.ID); Key.Sign sets
	// it.
	KeyID string `json:"key_id"`
	// Signature is the signature over every other field; Key.Sign sets it.
	// An empty signature never verifies.
	Signature []byte `json:"sig"`
}

// String describes the checkpoint on one line: "checkpoint of ORIGIN: size
// N, head HASH, made TIME, ALG key ID".
func (cp Checkpoint) String() string {
	s := "checkpoint"
	if cp.Origin != "" {
		s += " of " + cp.Origin
	}
	return fmt.Sprintf("%s: %s, made %s, %s key %s", s, cp.Head, cp.Time.UTC().Format(time.RFC3339Nano), cp.Algorithm, cp.KeyID)
}

// Sign returns cp signed with k: Algorithm and KeyID are set, Time is
// converted to UTC, and Signature covers every other field. It fails with
// ErrNoKey if k cannot sign.
func (k Key) Sign(cp Checkpoint) (Checkpoint, error) {
	if !k.CanSign() {
		return Checkpoint{}, ErrNoKey
	}
	cp.Time = cp.Time.UTC()
	cp.Algorithm, cp.KeyID = k.alg, k.id
	msg, err := cp.message()
	if err != nil {
		return Checkpoint{}, err
	}
	switch k.alg {
	case AlgEd25519:
		cp.Signature = ed25519.Sign(k.priv, msg)
	default:
		h := hmac.New(sha256.New, k.secret)
		h.Write(msg)
		cp.Signature = h.Sum(nil)
	}
	return cp, nil
}

// Verify checks cp's signature with k. It returns nil if cp was signed by
// k (or, for Ed25519, by its private half) over exactly these fields, an
// error wrapping ErrBadSignature if not, and ErrNoKey for the zero Key.
func (k Key) Verify(cp Checkpoint) error {
	if k.alg == "" {
		return ErrNoKey
	}
	if cp.Algorithm != k.alg || cp.KeyID != k.id {
		return fmt.Errorf("%w: signed with %s key %q, verifying with %s key %q", ErrBadSignature, cp.Algorithm, cp.KeyID, k.alg, k.id)
	}
	msg, err := cp.message()
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	ok := false
	switch k.alg {
	case AlgEd25519:
		ok = ed25519.Verify(k.pub, msg, cp.Signature)
	default:
		h := hmac.New(sha256.New, k.secret)
		h.Write(msg)
		ok = hmac.Equal(h.Sum(nil), cp.Signature)
	}
	if !ok {
		return fmt.Errorf("%w: checkpoint at size %d", ErrBadSignature, cp.Size)
	}
	return nil
}

// message returns the exact bytes a checkpoint's signature covers: one
// "name value" line per field, in a fixed order, after the format line.
func (cp Checkpoint) message() ([]byte, error) {
	if strings.ContainsFunc(cp.Origin, func(r rune) bool { return !unicode.IsPrint(r) }) {
		return nil, fmt.Errorf("checkpoint origin %q holds a non-printable character", cp.Origin)
	}
	if cp.Time.IsZero() {
		return nil, errors.New("checkpoint has no time")
	}
	var b bytes.Buffer
	b.WriteString(CheckpointFormat + "\n")
	b.WriteString("origin " + cp.Origin + "\n")
	b.WriteString("size " + strconv.FormatUint(cp.Size, 10) + "\n")
	b.WriteString("hash " + cp.Hash.String() + "\n")
	b.WriteString("time " + cp.Time.UTC().Format(time.RFC3339Nano) + "\n")
	b.WriteString("alg " + cp.Algorithm + "\n")
	b.WriteString("key " + cp.KeyID + "\n")
	return b.Bytes(), nil
}

// WriteCheckpoint writes cp as one line of JSON to w and, if w has a
// Sync() error method (an *os.File does), syncs it. A file of such lines is
// what ReadCheckpoints reads.
func WriteCheckpoint(w io.Writer, cp Checkpoint) error {
	b, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return err
	}
	if s, ok := w.(interface{ Sync() error }); ok {
		return s.Sync()
	}
	return nil
}

// ReadCheckpoints reads the checkpoints written by WriteCheckpoint, in the
// order they were written. It decodes strictly: a checkpoint that is not a
// JSON object, names an unknown field or names a member twice is an error
// (a *JSONError naming the line and the key, after "checkpoint N: "). It
// reports every such problem, joined, but stops at malformed JSON. It does
// not verify signatures: Verify does.
//
// An input that holds no checkpoint (empty, or only white space) is an
// error, ErrNoCheckpoints: passing its empty result to Verify would check
// the chain alone. A caller that means to start a new store (as
// `sodkit log checkpoint` does) tests for ErrNoCheckpoints; one that means
// to check only the chain passes no checkpoints to Verify explicitly.
func ReadCheckpoints(r io.Reader) ([]Checkpoint, error) {
	vals, bad, err := strictjson.Split(r)
	if err != nil {
		return nil, err
	}
	var errs []error
	out := make([]Checkpoint, 0, len(vals))
	for i, v := range vals {
		var cp Checkpoint
		if ps := strictjson.Decode(v.Raw, v.Line, &cp); ps != nil {
			errs = append(errs, jsonErrors(fmt.Sprintf("checkpoint %d: ", i+1), ps...)...)
			continue
		}
		out = append(out, cp)
	}
	if bad != nil {
		errs = append(errs, jsonErrors(fmt.Sprintf("checkpoint %d: ", len(vals)+1), *bad)...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(out) == 0 {
		return nil, ErrNoCheckpoints
	}
	return out, nil
}
