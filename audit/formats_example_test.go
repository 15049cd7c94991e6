package audit_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/sodkit/sodkit/audit"
)

// exampleReport is a small report for the format examples.
func exampleReport() audit.Report {
	f := audit.Finding{
		Kind: "sod.toxic-combination", Severity: audit.High, Rule: "r-vendor-payment",
		Subject:  audit.Subject{Type: "identity", ID: "alice"},
		Identity: "alice",
		Message:  "alice can both create vendors and release payments.",
		Evidence: []audit.Evidence{{Label: "side", Value: "erp:vendor.create"}, {Label: "side", Value: "erp:payment.release"}},
		Controls: []audit.Control{audit.Ref(audit.SP80053, "AC-5")},
	}.WithID()
	f.Location = audit.Location{File: "org.json", Line: 12} // where alice's record starts; not part of the ID
	f.Subject.Name = "Alice Brandt"                         // her name for people; not part of the ID either
	f.Owner = "fiona"                                       // who must act: her manager; not part of the ID
	return audit.NewReport(time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC),
		[]audit.Input{{Name: "org.json", SHA256: strings.Repeat("0", 64), Bytes: 10}}, []audit.Finding{f})
}

func ExampleReport_WriteSARIF() {
	var b bytes.Buffer
	exampleReport().WriteSARIF(&b)
	var doc struct {
		Runs []struct {
			Results []struct {
				RuleID              string            `json:"ruleId"`
				Level               string            `json:"level"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
				Properties          map[string]any    `json:"properties"`
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI   string `json:"uri"`
							Index int    `json:"index"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	json.Unmarshal(b.Bytes(), &doc)
	r := doc.Runs[0].Results[0]
	fmt.Println(r.RuleID, r.Level, r.Properties["security-severity"])
	fmt.Println(r.PartialFingerprints[audit.SARIFFingerprint] == exampleReport().Findings[0].ID)
	at := r.Locations[0].PhysicalLocation
	fmt.Println(at.ArtifactLocation.URI, at.ArtifactLocation.Index, at.Region.StartLine)
	// Output:
	// sod.toxic-combination error 8.0
	// true
	// org.json 0 12
}

// ExampleReport_WriteSARIF_kinds renders a report that describes the kinds
// its evaluation could report: the rule table lists each, found or not, at
// its default severity.
func ExampleReport_WriteSARIF_kinds() {
	r := exampleReport()
	r.Kinds = []audit.KindInfo{
		{Kind: "sod.toxic-combination", Title: "Toxic combination", Severity: audit.Critical,
			Controls: []audit.Control{audit.Ref(audit.SP80053, "AC-5")}, Remediation: "Remove one side.", Help: "An identity holds K sides of a rule."},
		{Kind: "sod.exception-expired", Title: "Exception expired", Severity: audit.Low,
			Controls: []audit.Control{audit.Ref(audit.SP80053, "AC-5")}, Remediation: "Renew or remove.", Help: "An exception's validity has ended."},
	}
	var b bytes.Buffer
	r.WriteSARIF(&b)
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID               string `json:"id"`
						ShortDescription struct {
							Text string `json:"text"`
						} `json:"shortDescription"`
						DefaultConfiguration struct {
							Level string `json:"level"`
						} `json:"defaultConfiguration"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	json.Unmarshal(b.Bytes(), &doc)
	for _, rule := range doc.Runs[0].Tool.Driver.Rules {
		fmt.Println(rule.ID, rule.DefaultConfiguration.Level, rule.ShortDescription.Text)
	}
	// Output:
	// sod.exception-expired note Exception expired
	// sod.toxic-combination error Toxic combination
}

func ExampleReport_WriteCSV() {
	var b bytes.Buffer
	exampleReport().WriteCSV(&b)
	// Rows end in CRLF, as RFC 4180 asks; printed here without the CR.
	fmt.Print(strings.ReplaceAll(b.String(), "\r\n", "\n"))
	// Output:
	// id,severity,status,kind,rule,subject_type,subject_id,message,evidence,controls,remediation,evaluated_at,location_file,location_line,subject_name,identity,owner
	// sk-0c6bc090ee822798b7b0,high,open,sod.toxic-combination,r-vendor-payment,identity,alice,alice can both create vendors and release payments.,side: erp:vendor.create | side: erp:payment.release,NIST SP 800-53 Rev. 5 AC-5,,2026-11-01T09:00:00Z,org.json,12,Alice Brandt,alice,fiona
}

func ExampleReport_WriteMarkdown() {
	var b bytes.Buffer
	exampleReport().WriteMarkdown(&b)
	for line := range strings.Lines(b.String()) {
		if strings.HasPrefix(line, "| high |") || strings.HasPrefix(line, "**") {
			fmt.Print(line)
		}
	}
	// Output:
	// **1 finding (1 high)**
	// | high | 1 | 1 |
	// | high | open | `sod.toxic-combination` | identity alice (Alice Brandt) | alice can both create vendors and release payments. | `sk-0c6bc090ee822798b7b0` |
}

func ExampleReport_WriteOSCAL() {
	var a, b bytes.Buffer
	r := exampleReport()
	r.WriteOSCAL(&a, &audit.OSCALOptions{Reviewed: []audit.Control{
		audit.Ref(audit.SP80053, "AC-5"), audit.Ref(audit.SP80053, "AC-6(5)"),
	}})
	r.WriteOSCAL(&b, &audit.OSCALOptions{Reviewed: []audit.Control{
		audit.Ref(audit.SP80053, "AC-5"), audit.Ref(audit.SP80053, "AC-6(5)"),
	}})
	var doc struct {
		AR struct {
			Results []struct {
				Findings []struct {
					Target struct {
						TargetID string `json:"target-id"`
						Status   struct {
							State string `json:"state"`
						} `json:"status"`
					} `json:"target"`
				} `json:"findings"`
			} `json:"results"`
		} `json:"assessment-results"`
	}
	json.Unmarshal(a.Bytes(), &doc)
	for _, f := range doc.AR.Results[0].Findings {
		fmt.Println(f.Target.TargetID, f.Target.Status.State)
	}
	fmt.Println("byte-identical re-export:", bytes.Equal(a.Bytes(), b.Bytes()))
	// Output:
	// ac-5 not-satisfied
	// ac-6.5 satisfied
	// byte-identical re-export: true
}

func ExampleDelta_WriteMarkdown() {
	later := exampleReport()
	earlier := audit.NewReport(later.EvaluatedAt.AddDate(0, 0, -7), nil, nil)
	var b bytes.Buffer
	later.Diff(earlier).WriteMarkdown(&b)
	fmt.Println(strings.SplitN(b.String(), "\n", 4)[2])
	// Output:
	// **1 new**, 0 resolved, 0 changed, 0 unchanged
}

func ExampleCountFindings() {
	fig := audit.CountFindings(exampleReport().Findings)
	for _, k := range fig.ByKind {
		fmt.Println(k.Kind, k.Count, k.Failing)
	}
	fmt.Println(fig.BySeverity[audit.High].Severity, fig.BySeverity[audit.High].Count)
	// Output:
	// sod.toxic-combination 1 1
	// high 1
}

func ExampleMonthlySeries() {
	// Exceptions granted, per month, over the quarter ending at the
	// evaluation time: the signal that the exception path is becoming
	// the default one.
	granted := []time.Time{
		time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 7, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 10, 21, 0, 0, 0, 0, time.UTC),
	}
	s := audit.MonthlySeries("exceptions granted", granted, time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC), 3)
	for _, p := range s.Points {
		fmt.Println(p.Month, p.Count)
	}
	// Output:
	// 2026-09 1
	// 2026-10 2
	// 2026-11 0
}

func ExampleShare() {
	r := exampleReport()
	r.Figures.Shares = []audit.Share{{Name: "active grants by path", Parts: []audit.Part{
		{Label: "standard", Count: 45}, {Label: "exception", Count: 4}, {Label: "emergency", Count: 1},
	}}}
	var b bytes.Buffer
	r.WriteText(&b)
	for line := range strings.Lines(b.String()) {
		if strings.HasPrefix(line, "active grants") {
			fmt.Print(line)
		}
	}
	// Output:
	// active grants by path: standard 45 (90.0%), exception 4 (8.0%), emergency 1 (2.0%) of 50
}

func ExampleCSVColumns() {
	fmt.Println(strings.Join(audit.CSVColumns(), ","))
	// Output:
	// id,severity,status,kind,rule,subject_type,subject_id,message,evidence,controls,remediation,evaluated_at,location_file,location_line,subject_name,identity,owner
}
