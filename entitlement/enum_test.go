package entitlement_test

import (
	"encoding"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
)

// enum is what every enumeration of the package offers.
type enum interface {
	String() string
	Valid() bool
	encoding.TextMarshaler
}

// TestEnums checks every enumeration the same way: names round-trip
// through text, parsing ignores case and accepts '-' for '_', the unset
// value has no text form, and an out-of-range value prints its number.
func TestEnums(t *testing.T) {
	tests := []struct {
		name   string
		values []enum
		names  []string
		parse  func(string) (enum, error)
		unset  enum
		bad    enum
		badStr string
		reason string
	}{
		{"identity kind",
			[]enum{entitlement.Human, entitlement.ServiceAccount, entitlement.APIKey, entitlement.Token, entitlement.WorkloadIdentity, entitlement.AIAgent},
			[]string{"human", "service_account", "api_key", "token", "workload_identity", "ai_agent"},
			func(s string) (enum, error) { return entitlement.ParseIdentityKind(s) },
			entitlement.IdentityKind(0), entitlement.IdentityKind(42), "identity_kind(42)",
			"a person or one of the non-human kinds"},
		{"identity status",
			[]enum{entitlement.IdentityActive, entitlement.IdentityDisabled, entitlement.IdentityOffboarded},
			[]string{"active", "disabled", "offboarded"},
			func(s string) (enum, error) { return entitlement.ParseIdentityStatus(s) },
			entitlement.IdentityStatus(0), entitlement.IdentityStatus(9), "identity_status(9)",
			"the identity source's lifecycle"},
		{"grant state",
			[]enum{entitlement.GrantRequested, entitlement.GrantApproved, entitlement.GrantActive, entitlement.GrantRevoked, entitlement.GrantExpired},
			[]string{"requested", "approved", "active", "revoked", "expired"},
			func(s string) (enum, error) { return entitlement.ParseGrantState(s) },
			entitlement.GrantState(0), entitlement.GrantState(6), "grant_state(6)",
			"a grant's lifecycle"},
		{"grant source",
			[]enum{entitlement.SourceStandard, entitlement.SourceException, entitlement.SourceJustInTime, entitlement.SourceBreakGlass},
			[]string{"standard", "exception", "just_in_time", "break_glass"},
			func(s string) (enum, error) { return entitlement.ParseGrantSource(s) },
			entitlement.GrantSource(0), entitlement.GrantSource(5), "grant_source(5)",
			"the path a grant came through"},
		{"party function",
			[]enum{entitlement.IdentityGovernance, entitlement.ITOperations, entitlement.Business, entitlement.Security, entitlement.Audit},
			[]string{"identity_governance", "it_operations", "business", "security", "audit"},
			func(s string) (enum, error) { return entitlement.ParsePartyFunction(s) },
			entitlement.PartyFunction(0), entitlement.PartyFunction(6), "party_function(6)",
			"which side of governance a party works on"},
		{"risk",
			[]enum{entitlement.RiskLow, entitlement.RiskMedium, entitlement.RiskHigh, entitlement.RiskCritical},
			[]string{"low", "medium", "high", "critical"},
			func(s string) (enum, error) { return entitlement.ParseRisk(s) },
			entitlement.Risk(0), entitlement.Risk(5), "risk(5)",
			"risk levels in increasing order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Len(t, tt.values, len(tt.names))
			for i, v := range tt.values {
				require.True(t, v.Valid(), tt.reason)
				require.Equal(t, tt.names[i], v.String())
				b, err := v.MarshalText()
				require.NoError(t, err)
				require.Equal(t, tt.names[i], string(b))
				got, err := tt.parse(tt.names[i])
				require.NoError(t, err)
				require.Equal(t, v, got, "round trip of %q", tt.names[i])
				upper := []byte(tt.names[i])
				for j, c := range upper {
					switch {
					case c == '_':
						upper[j] = '-'
					case c >= 'a' && c <= 'z':
						upper[j] = c - 'a' + 'A'
					}
				}
				got, err = tt.parse(string(upper))
				require.NoError(t, err, "%q parses: case and '-' do not matter", upper)
				require.Equal(t, v, got)
			}
			require.False(t, tt.unset.Valid(), "the zero value is unset")
			_, err := tt.unset.MarshalText()
			require.ErrorIs(t, err, entitlement.ErrInvalid, "the unset value has no text form")
			require.ErrorContains(t, err, "an unset "+tt.name)
			require.False(t, tt.bad.Valid())
			require.Equal(t, tt.badStr, tt.bad.String(), "an out-of-range value prints its number")
			_, err = tt.bad.MarshalText()
			require.ErrorIs(t, err, entitlement.ErrInvalid)

			for _, s := range []string{"", "bogus", tt.names[0] + "x", " " + tt.names[0]} {
				_, err := tt.parse(s)
				require.ErrorIs(t, err, entitlement.ErrInvalid, "%q is not a name", s)
				require.ErrorContains(t, err, `"`+s+`"`, "the error quotes the input")
				require.ErrorContains(t, err, tt.names[len(tt.names)-1], "the error lists the names")
			}
		})
	}
}

func TestUnmarshalText(t *testing.T) {
	var k entitlement.IdentityKind
	require.NoError(t, k.UnmarshalText([]byte("ai-agent")))
	require.Equal(t, entitlement.AIAgent, k)
	require.ErrorIs(t, k.UnmarshalText([]byte("robot")), entitlement.ErrInvalid)
	require.Equal(t, entitlement.IdentityKind(0), k, "a failed decode leaves the unset value")

	var s entitlement.IdentityStatus
	require.NoError(t, s.UnmarshalText([]byte("Offboarded")))
	require.Equal(t, entitlement.IdentityOffboarded, s)
	var st entitlement.GrantState
	require.NoError(t, st.UnmarshalText([]byte("revoked")))
	require.Equal(t, entitlement.GrantRevoked, st)
	var src entitlement.GrantSource
	require.NoError(t, src.UnmarshalText([]byte("break-glass")))
	require.Equal(t, entitlement.SourceBreakGlass, src)
	var f entitlement.PartyFunction
	require.NoError(t, f.UnmarshalText([]byte("it_operations")))
	require.Equal(t, entitlement.ITOperations, f)
	var r entitlement.Risk
	require.NoError(t, r.UnmarshalText([]byte("HIGH")))
	require.Equal(t, entitlement.RiskHigh, r)
}
