package ipcapacity_test

import (
	"errors"
	"fmt"

	"github.com/eksready/eksready/config/ipcapacity"
)

func ExampleMaxPods() {
	for _, cni := range []ipcapacity.CNIConfig{
		{Mode: ipcapacity.ModeENI},
		{Mode: ipcapacity.ModeCustomNetworking},
		{Mode: ipcapacity.ModePrefixDelegation},
	} {
		r, err := ipcapacity.MaxPods("m5.large", cni)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %d (IP limit %d)\n", cni.Mode, r.MaxPods, r.IPLimit)
	}
	// Output:
	// ENI mode: 29 (IP limit 29)
	// custom networking: 20 (IP limit 20)
	// prefix delegation: 110 (IP limit 434)
}

func ExamplePlan() {
	rep, err := ipcapacity.Plan(ipcapacity.Input{
		AZs: []ipcapacity.AZ{
			{Name: "ap-south-1a", NodeSubnet: ipcapacity.Subnet{Name: "private", CIDR: "10.0.1.0/24"}},
			{Name: "ap-south-1b", NodeSubnet: ipcapacity.Subnet{Name: "private", CIDR: "10.0.32.0/19"}},
		},
		NodeGroups: []ipcapacity.NodeGroup{
			{Name: "system", InstanceTypes: []string{"m5.large"}, MaxSizePerAZ: 20},
			{Name: "apps", InstanceTypes: []string{"m5.large", "t3.medium"}, MaxSizePerAZ: 20},
			{Name: "batch", InstanceTypes: []string{"m5.large"}, MaxSizePerAZ: 20},
		},
	})
	fmt.Print(ipcapacity.RenderTable(rep))
	var ce *ipcapacity.CapacityError
	if errors.As(err, &ce) {
		fmt.Println(err)
	}
	// Output:
	// AZ           SUBNET                  USABLE  NEED AT MAX  HEADROOM %  STATUS
	// ap-south-1a  10.0.1.0/24 (private)      251        1,800      -617.1  FAIL
	// ap-south-1b  10.0.32.0/19 (private)   8,187        1,800        78.0  OK
	// ap-south-1a: private subnet 10.0.1.0/24 holds 251 usable addresses but 3 node groups at max scale need 1,800 (system: 20 × m5.large ENI mode: 3 ENIs × 10 addresses = 30 each = 600; apps: 20 × m5.large ENI mode: 3 ENIs × 10 addresses = 30 each = 600; batch: 20 × m5.large ENI mode: 3 ENIs × 10 addresses = 30 each = 600)
}
