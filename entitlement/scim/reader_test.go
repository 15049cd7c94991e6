package scim_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/require"

	"github.com/sodkit/sodkit/entitlement"
	"github.com/sodkit/sodkit/entitlement/importer"
	"github.com/sodkit/sodkit/entitlement/scim"
)

// file is one named input of a test read.
type file struct{ name, text string }

// lines joins lines into a file, so a test names the line of each problem
// by its position in the list (the first line is line 1).
func lines(ls ...string) string { return strings.Join(ls, "\n") + "\n" }

// read reads the files with the options and returns the import, or the
// first failing file's error.
func read(t *testing.T, opts scim.Options, files ...file) (importer.Import, error) {
	t.Helper()
	r, err := scim.NewReader(opts)
	require.NoError(t, err)
	for _, f := range files {
		if err := r.Read(f.name, strings.NewReader(f.text)); err != nil {
			return importer.Import{}, err
		}
	}
	return r.Import(), nil
}

// mustRead reads files that must read without error.
func mustRead(t *testing.T, opts scim.Options, files ...file) importer.Import {
	t.Helper()
	im, err := read(t, opts, files...)
	require.NoError(t, err)
	return im
}

// list wraps resources (JSON objects, one per line) in a ListResponse.
func list(resources ...string) string {
	return lines(append(append([]string{
		`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],`,
		` "Resources": [`}, joinResources(resources)...), `]}`)...)
}

func joinResources(rs []string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r
		if i < len(rs)-1 {
			out[i] += ","
		}
	}
	return out
}

const (
	userSchema  = `"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"]`
	groupSchema = `"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"]`
)

// problem is one error a read must report.
type problem struct {
	is     error
	file   string
	line   int
	record string
	field  string
}

func (p problem) String() string {
	return fmt.Sprintf("%s:%d: %s: field %s: %v", p.file, p.line, p.record, p.field, p.is)
}

// problems flattens an error into problems, checking that each is a
// *entitlement.RecordError wrapping exactly one known sentinel.
func problems(t *testing.T, err error) []problem {
	t.Helper()
	sentinels := []error{importer.ErrSyntax, scim.ErrFormat, entitlement.ErrRequired, entitlement.ErrDuplicate}
	var out []problem
	for _, e := range entitlement.Errors(err) {
		re, ok := errors.AsType[*entitlement.RecordError](e)
		require.True(t, ok, "every error is a *entitlement.RecordError: %v", e)
		p := problem{file: re.File, line: re.Line, record: re.Record(), field: re.Field}
		for _, s := range sentinels {
			if errors.Is(e, s) {
				require.Nil(t, p.is, "%v wraps two sentinels", e)
				p.is = s
			}
		}
		require.NotNil(t, p.is, "%v wraps no sentinel", e)
		require.NotContains(t, e.Error(), "\n")
		out = append(out, p)
	}
	return out
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name   string
		text   string
		want   []problem
		reason string
	}{
		{"not JSON", "user,entitlement\nalice,x\n",
			[]problem{{importer.ErrSyntax, "f.json", 1, "", ""}},
			"a CSV file given as SCIM is a syntax error at its first byte"},
		{"truncated", lines(`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],`, `"Resources": [`, `{"id": "u1",`),
			[]problem{{importer.ErrSyntax, "f.json", 4, "resource #0", ""}},
			"a file cut short names the resource it was reading"},
		{"empty", "",
			[]problem{{scim.ErrFormat, "f.json", 1, "", ""}},
			"an empty file is not a ListResponse"},
		{"an array", lines(`[`, `{"id": "u1"}`, `]`),
			[]problem{{scim.ErrFormat, "f.json", 1, "", ""}},
			"a bare array of resources is not a ListResponse"},
		{"a single resource", lines(`{`, userSchema+`,`, `"id": "u1", "userName": "a"}`),
			[]problem{{scim.ErrFormat, "f.json", 2, "", "schemas"}},
			"a single User is not a ListResponse: its schemas say so"},
		{"no ListResponse members", lines(`{"id": "u1", "userName": "a"}`),
			[]problem{{scim.ErrFormat, "f.json", 1, "", "schemas"}},
			"an object with no schemas, totalResults or Resources is not a ListResponse"},
		{"Resources not an array", lines(`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],`, `"Resources": {"id": "u1"}}`),
			[]problem{{scim.ErrFormat, "f.json", 2, "", "Resources"}},
			"Resources must be a list"},
		{"resource not an object", list(`"u1"`),
			[]problem{{scim.ErrFormat, "f.json", 3, "resource #0", ""}},
			"a resource is an object"},
		{"user without id", list(`{`+userSchema+`, "userName": "alice"}`, `{`+userSchema+`, "id": "", "userName": "bob"}`),
			[]problem{{entitlement.ErrRequired, "f.json", 3, "user #0", "id"}, {entitlement.ErrRequired, "f.json", 4, "user #1", "id"}},
			"a user needs an id; every such user is reported, named by position"},
		{"id of the wrong type", list(`{` + userSchema + `, "id": {"v": 1}}`),
			[]problem{{entitlement.ErrRequired, "f.json", 3, "user #0", "id"}},
			"an object is no id"},
		{"group without id", list(`{` + groupSchema + `, "displayName": "G"}`),
			[]problem{{entitlement.ErrRequired, "f.json", 3, "group #0", "id"}},
			"a group needs an id"},
		{"no type at all", list(`{"id": "x1", "userName": "alice"}`),
			[]problem{{scim.ErrFormat, "f.json", 3, "resource x1", "schemas"}},
			"without schemas or meta.resourceType a resource cannot be told a User or a Group: not guessed"},
		{"both schemas", list(`{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:core:2.0:Group"], "id": "x1"}`),
			[]problem{{scim.ErrFormat, "f.json", 3, "resource #0", "schemas"}},
			"a resource cannot be both"},
		{"repeated with different attributes", list(`{`+userSchema+`, "id": "u1", "userName": "a", "active": true}`, `{`+userSchema+`, "id": "u1", "userName": "a", "active": false}`),
			[]problem{{entitlement.ErrDuplicate, "f.json", 4, "user u1", "id"}},
			"two different users with one id: which one is right cannot be told"},
		{"attribute given twice", list(`{` + userSchema + `, "id": "u1", "active": true, "Active": false}`),
			[]problem{{entitlement.ErrDuplicate, "f.json", 3, "user u1", "Active"}},
			"the same attribute in two cases (RFC 7643 §2.1): which value was meant cannot be told, so it is not guessed"},
		{"sub-attribute given twice", list(`{`+userSchema+`, "id": "u1", "entitlements": [{"value": "a"}, {"value": "c", "value": "b"}]}`,
			`{`+userSchema+`, "id": "u2", "roles": {"value": "r", "Value": "s"}}`),
			[]problem{{entitlement.ErrDuplicate, "f.json", 3, "user u1", "entitlements[1].value"}, {entitlement.ErrDuplicate, "f.json", 4, "user u2", "roles.Value"}},
			"a repeated key inside a multi-valued attribute is an error naming its path, never resolved to the first value"},
		{"member given twice", list(`{`+groupSchema+`, "id": "g1", "members": [{"value": "u1", "type": "User", "value": "u2"}]}`,
			`{`+groupSchema+`, "id": "g2", "members": [], "Members": [{"value": "u1"}]}`),
			[]problem{{entitlement.ErrDuplicate, "f.json", 3, "group g1", "members[0].value"}, {entitlement.ErrDuplicate, "f.json", 4, "group g2", "Members"}},
			"members are streamed, and checked as they stream"},
		{"unused attribute with a repeat", list(`{` + userSchema + `, "id": "u1", "emails": [{"value": "a@x", "primary": true, "primary": false}]}`),
			[]problem{{entitlement.ErrDuplicate, "f.json", 3, "user u1", "emails[0].primary"}},
			"attributes the reader skips are malformed all the same: a repeat anywhere in a resource is an error"},
		{"manager given twice", list(`{` + userSchema + `, "id": "u1", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"manager": {"value": "a", "value": "b"}}}`),
			[]problem{{entitlement.ErrDuplicate, "f.json", 3, "user u1", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User.manager.value"}},
			"the enterprise manager's value repeated: who manages the user cannot be told"},
		{"enterprise attribute in two forms", list(`{` + userSchema + `, "id": "u1", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "IT"}, ` +
			`"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department": "Finance"}`),
			[]problem{{entitlement.ErrDuplicate, "f.json", 3, "user u1", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"}},
			"the department in the extension object and as a fully qualified attribute is one attribute given twice"},
		{"repeat in a resource of unknown type", list(`{"id": "x1", "id": "x2"}`),
			[]problem{{entitlement.ErrDuplicate, "f.json", 3, "resource x1", "id"}},
			"a resource that cannot be placed still names its first id"},
		{"Resources twice", lines(`{"schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], "Resources": [`, `{`+userSchema+`, "id": "u1"}`, `], "resources": []}`),
			[]problem{{entitlement.ErrDuplicate, "f.json", 3, "", "resources"}},
			"two lists of resources in one response: which is the page cannot be told"},
		{"trailing data", list(`{`+userSchema+`, "id": "u1"}`) + "{}",
			[]problem{{importer.ErrSyntax, "f.json", 5, "", ""}},
			"anything after the ListResponse is malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := read(t, scim.Options{}, file{"f.json", tt.text})
			require.Error(t, err, tt.reason)
			require.Equal(t, tt.want, problems(t, err), "%s\n%v", tt.reason, err)
		})
	}
}

func TestReadUserNameKey(t *testing.T) {
	_, err := read(t, scim.Options{Key: scim.KeyUserName},
		file{"a.json", list(`{` + userSchema + `, "id": "u1"}`)})
	require.Equal(t, []problem{{entitlement.ErrRequired, "a.json", 3, "user u1", "userName"}}, problems(t, err),
		"keyed by userName, a user needs one")

	_, err = read(t, scim.Options{Key: scim.KeyUserName},
		file{"a.json", list(`{` + userSchema + `, "id": "u1", "userName": "Alice@x.example"}`)},
		file{"b.json", list(`{` + userSchema + `, "id": "u2", "userName": "alice@x.example"}`)})
	require.Equal(t, []problem{{entitlement.ErrDuplicate, "b.json", 3, "user u2", "userName"}}, problems(t, err),
		"userName is not case-sensitive (RFC 7643 §4.1.1): two users whose names differ in case collide, across files")
}

func TestReadFailedFileAddsNothing(t *testing.T) {
	r, err := scim.NewReader(scim.Options{})
	require.NoError(t, err)
	bad := list(`{`+userSchema+`, "id": "u1", "userName": "a"}`, `{`+userSchema+`, "userName": "b"}`)
	require.Error(t, r.Read("bad.json", strings.NewReader(bad)))
	require.Empty(t, r.Import().Inventory.Identities, "a file with an error adds nothing, not even its good users")
	require.Empty(t, r.Import().Inputs)
	good := list(`{` + userSchema + `, "id": "u1", "userName": "a"}`)
	require.NoError(t, r.Read("good.json", strings.NewReader(good)), "the Reader is still usable")
	require.Len(t, r.Import().Inventory.Identities, 1)
}

func TestReadReaderError(t *testing.T) {
	r, err := scim.NewReader(scim.Options{})
	require.NoError(t, err)
	err = r.Read("f.json", iotest.ErrReader(errors.New("disk on fire")))
	require.ErrorContains(t, err, "disk on fire")
	re, ok := errors.AsType[*entitlement.RecordError](err)
	require.True(t, ok)
	require.Equal(t, "f.json", re.File)
}

func TestReadManyErrorsStop(t *testing.T) {
	var rs []string
	for range importer.MaxErrors + 50 {
		rs = append(rs, `{`+userSchema+`}`)
	}
	_, err := read(t, scim.Options{}, file{"f.json", list(rs...)})
	errs := entitlement.Errors(err)
	require.Len(t, errs, importer.MaxErrors+1)
	require.ErrorContains(t, errs[len(errs)-1], "stopped after")
}

func TestZeroReader(t *testing.T) {
	var r scim.Reader
	require.Empty(t, r.Import().Inventory.Identities, "the zero Reader has read nothing")
	require.NoError(t, r.Read("u.json", strings.NewReader(list(`{`+userSchema+`, "id": "u1", "active": true, "roles": ["A"]}`))))
	im := r.Import()
	require.Equal(t, "scim:role/A", im.Inventory.Identities[0].Grants[0].Role, "the zero Reader reads with the default options")
}
