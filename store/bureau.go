package store

// Bureau is the government bureau a database serves: its name and short
// name, shown in the digest's title and the exports. It is set once
// (`duban bureau set`), or taken from the issuer of the first real plan
// imported.
type Bureau struct {
	Name  string // 大连市生态环境局
	Short string // 市生态环境局 ("" = Name)
}

// ShortName is the short name, or the name when none was given.
func (b Bureau) ShortName() string {
	if b.Short != "" {
		return b.Short
	}
	return b.Name
}

const (
	settingBureauName  = "bureau_name"
	settingBureauShort = "bureau_short"
)

// Bureau returns the bureau's names (empty when not set).
func (tx *Tx) Bureau() Bureau {
	return Bureau{Name: tx.Setting(settingBureauName), Short: tx.Setting(settingBureauShort)}
}

// SetBureau names the bureau; the names are checked like department names.
func (tx *Tx) SetBureau(b Bureau) error {
	if err := CheckName("", FieldBureau, b.Name, MaxNameRunes); err != nil {
		return err
	}
	if b.Short != "" {
		if err := CheckName("", FieldBureau, b.Short, MaxNameRunes); err != nil {
			return err
		}
	}
	if err := tx.SetSetting(settingBureauName, b.Name); err != nil {
		return err
	}
	return tx.SetSetting(settingBureauShort, b.Short)
}
