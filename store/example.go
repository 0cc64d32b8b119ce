package store

// ExamplePlanSetting marks a database whose tasks are the bundled example
// plan that serve (or shell) loaded into it when it was empty:
// ExamplePlanLoaded while it is a demonstration (reminders go only to the
// admins), ExamplePlanAdopted once someone chose to run it for real; unset
// for a database that never held the example.
const (
	ExamplePlanSetting = "example_plan"
	ExamplePlanLoaded  = "example"
	ExamplePlanAdopted = "adopted"
)

// IsExamplePlan reports whether the tasks are the not-adopted example plan.
func (tx *Tx) IsExamplePlan() bool { return tx.Setting(ExamplePlanSetting) == ExamplePlanLoaded }
