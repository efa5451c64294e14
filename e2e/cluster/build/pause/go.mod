// The pod sandbox ("pause") process of the node tier, imported locally so nothing is pulled.
module taskyard.dev/e2e/cluster/pause

go 1.26.0
