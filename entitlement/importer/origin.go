package importer

// Record names a record the way an *entitlement.RecordError names it: its
// type ("identity", "grant", "role", "entitlement", "party"), its ID, and,
// for a record held inside another, that record ("identity alice" for one
// of alice's grants).
type Record struct {
	// Type is the record's type, as in entitlement.RecordError.
	Type string
	// ID is the record's ID; "#N" (its position) for a record without one.
	ID string
	// Parent names the record that holds it, "identity alice"; empty for a
	// top-level record.
	Parent string
}

// Origin is where a record was read.
//
// The zero Origin is unknown: it names no file.
type Origin struct {
	// File names the input, as given to the importer.
	File string
	// Line is the 1-based line of File where the record is; 0 when unknown.
	Line int
}

// Origins maps each record an importer made to where it read it. A nil
// Origins knows no record; looking a record up in it returns the zero
// Origin.
type Origins map[Record]Origin

// Add records where r was read, unless o already holds r: a record read
// twice is where it was first read. It makes a nil Origins.
func (o *Origins) Add(r Record, where Origin) {
	if *o == nil {
		*o = Origins{}
	}
	if _, ok := (*o)[r]; !ok {
		(*o)[r] = where
	}
}
