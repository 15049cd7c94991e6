package trail_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/audit/trail"
)

// testEd25519 returns a fixed Ed25519 key pair.
func testEd25519(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))
}

func TestCheckpointSignVerify(t *testing.T) {
	signer, err := trail.Ed25519Key(testEd25519(t))
	require.NoError(t, err)
	hm := hmacKey(t)
	other, err := trail.Ed25519Key(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{8}, ed25519.SeedSize)))
	require.NoError(t, err)
	_, head := buildLog(t, 3)
	base := trail.Checkpoint{Origin: "decisions.log", Head: head, Time: decisionTime}

	tests := []struct {
		name   string
		reason string
		sign   trail.Key
		verify trail.Key
		edit   func(*trail.Checkpoint)
		ok     bool
	}{
		{name: "ed25519", reason: "signed and verified with one key", sign: signer, verify: signer, ok: true},
		{name: "ed25519 public", reason: "verifiers need only the public key", sign: signer, verify: signer.Public(), ok: true},
		{name: "hmac", reason: "a shared secret works too", sign: hm, verify: hm, ok: true},
		{name: "other key", reason: "another key's signature is refused", sign: other, verify: signer},
		{name: "algorithm confusion", reason: "an HMAC checkpoint is not accepted by an Ed25519 key", sign: hm, verify: signer},
		{name: "size edited", reason: "every field is signed", sign: signer, verify: signer, edit: func(c *trail.Checkpoint) { c.Size++ }},
		{name: "hash edited", reason: "every field is signed", sign: signer, verify: signer, edit: func(c *trail.Checkpoint) { c.Hash[0] ^= 1 }},
		{name: "time edited", reason: "every field is signed", sign: signer, verify: signer, edit: func(c *trail.Checkpoint) { c.Time = c.Time.Add(time.Second) }},
		{name: "origin edited", reason: "every field is signed", sign: hm, verify: hm, edit: func(c *trail.Checkpoint) { c.Origin = "other.log" }},
		{name: "key id edited", reason: "the key ID must match", sign: hm, verify: hm, edit: func(c *trail.Checkpoint) { c.KeyID = "0000000000000000" }},
		{name: "signature cut", reason: "a truncated signature fails", sign: signer, verify: signer, edit: func(c *trail.Checkpoint) { c.Signature = c.Signature[:10] }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cp, err := tc.sign.Sign(base)
			require.NoError(t, err)
			require.Equal(t, tc.sign.Algorithm(), cp.Algorithm)
			require.Equal(t, tc.sign.ID(), cp.KeyID)
			if tc.edit != nil {
				tc.edit(&cp)
			}
			err = tc.verify.Verify(cp)
			if tc.ok {
				require.NoError(t, err, tc.reason)
			} else {
				require.ErrorIs(t, err, trail.ErrBadSignature, tc.reason)
			}
		})
	}
}

func TestKeyZeroAndLimits(t *testing.T) {
	var zero trail.Key
	_, err := zero.Sign(trail.Checkpoint{Time: decisionTime})
	require.ErrorIs(t, err, trail.ErrNoKey)
	require.ErrorIs(t, zero.Verify(trail.Checkpoint{}), trail.ErrNoKey)
	signer, err := trail.Ed25519Key(testEd25519(t))
	require.NoError(t, err)
	_, err = signer.Public().Sign(trail.Checkpoint{Time: decisionTime})
	require.ErrorIs(t, err, trail.ErrNoKey, "a public key cannot sign")
	_, err = signer.Sign(trail.Checkpoint{})
	require.ErrorContains(t, err, "no time")
	_, err = signer.Sign(trail.Checkpoint{Origin: "a\nb", Time: decisionTime})
	require.ErrorContains(t, err, "non-printable")
	_, err = trail.HMACKey([]byte("short"))
	require.Error(t, err)
	_, err = trail.Ed25519Key(ed25519.PrivateKey{1, 2})
	require.Error(t, err)
	_, err = trail.Ed25519PublicKey(ed25519.PublicKey{1, 2})
	require.Error(t, err)
	require.Len(t, signer.ID(), 16)
	require.Equal(t, signer.ID(), signer.Public().ID())
	require.True(t, signer.CanSign())
	cp, err := signer.Sign(trail.Checkpoint{Origin: "d.log", Head: trail.Head{Size: 2}, Time: decisionTime})
	require.NoError(t, err)
	require.Equal(t, "checkpoint of d.log: size 2, head "+trail.Hash{}.String()+", made 2026-10-05T14:30:00Z, ed25519 key "+signer.ID(), cp.String())
	require.False(t, signer.Public().CanSign())
}

func TestParseKeyPEM(t *testing.T) {
	priv := testEd25519(t)
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	require.NoError(t, err)
	privPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	der, err = x509.MarshalPKIXPublicKey(priv.Public())
	require.NoError(t, err)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})

	k, err := trail.ParseKeyPEM(privPEM)
	require.NoError(t, err)
	require.True(t, k.CanSign())
	pub, err := trail.ParseKeyPEM(pubPEM)
	require.NoError(t, err)
	require.False(t, pub.CanSign())
	require.Equal(t, k.ID(), pub.ID())

	for _, bad := range []string{"", "not pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"} {
		_, err := trail.ParseKeyPEM([]byte(bad))
		require.Error(t, err, "%q", bad)
	}
}

func TestCheckpointFileRoundTrip(t *testing.T) {
	key := hmacKey(t)
	lines, _ := buildLog(t, 4)
	var buf bytes.Buffer
	want := []trail.Checkpoint{checkpoint(t, key, lines, 2), checkpoint(t, key, lines, 4)}
	for _, cp := range want {
		require.NoError(t, trail.WriteCheckpoint(&buf, cp))
	}
	require.Equal(t, 2, strings.Count(buf.String(), "\n"), "one line per checkpoint")
	got, err := trail.ReadCheckpoints(&buf)
	require.NoError(t, err)
	require.Equal(t, want, got)
	for _, cp := range got {
		require.NoError(t, key.Verify(cp))
	}
	for _, in := range []string{"", "\n", " \r\n\t"} {
		none, err := trail.ReadCheckpoints(strings.NewReader(in))
		require.ErrorIs(t, err, trail.ErrNoCheckpoints, "a store with no checkpoint is not one that matched: %q", in)
		require.Empty(t, none)
	}
	_, err = trail.ReadCheckpoints(strings.NewReader(`{"size":1,"extra":true}`))
	require.ErrorContains(t, err, "checkpoint 1")
}
