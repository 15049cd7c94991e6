package raci_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/raci"
)

func TestParseActivity(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    raci.Activity
		wantErr bool
		reason  string
	}{
		{"canonical", "approve_request", raci.ApproveRequest, false, "the bundle spelling"},
		{"dashes", "review-emergency", raci.ReviewEmergency, false, "dashes and underscores are interchangeable"},
		{"case", "OWN_NHI", raci.OwnNHI, false, "names are case-insensitive"},
		{"empty", "", 0, true, "the unset activity has no name to parse"},
		{"unknown", "request", 0, true, "requesting access is not a governance activity of the matrix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := raci.ParseActivity(tt.in)
			if tt.wantErr {
				require.Error(t, err, tt.reason)
				require.ErrorContains(t, err, `"`+tt.in+`"`, "the error quotes the input")
				require.ErrorContains(t, err, "define_policy", "the error lists the accepted names")
				return
			}
			require.NoError(t, err, tt.reason)
			require.Equal(t, tt.want, got, tt.reason)
		})
	}
}

func TestActivityText(t *testing.T) {
	require.Len(t, raci.Activities(), 8)
	for _, a := range raci.Activities() {
		require.True(t, a.Valid())
		b, err := a.MarshalText()
		require.NoError(t, err)
		var back raci.Activity
		require.NoError(t, back.UnmarshalText(b))
		require.Equal(t, a, back, "text round trip of %s", a)
	}
	for _, bad := range []raci.Activity{0, 9, 200} {
		require.False(t, bad.Valid(), "%d is not an activity", bad)
		_, err := bad.MarshalText()
		require.Error(t, err, "an invalid activity has no text form")
	}
	require.Equal(t, "", raci.Activity(0).String())
	require.Equal(t, "activity(42)", raci.Activity(42).String())
}
