package metrics

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseMdstat(t *testing.T) {
	tests := []struct {
		name   string
		mdstat string
		want   []Array
	}{
		{"healthy mirror", `
md0 : active raid1 sdb1[1] sda1[0]
      1953382400 blocks super 1.2 [2/2] [UU]
      bitmap: 0/15 pages [0KB], 65536KB chunk`,
			[]Array{{Name: "md0", Level: "raid1", Devices: 2, Active: 2, Status: "active"}}},
		{"failed member still listed", `
md0 : active raid1 sdb1[1] sda1[0](F)
      12581816 blocks super 1.2 [2/1] [_U]`,
			[]Array{{Name: "md0", Level: "raid1", Devices: 2, Active: 1, Degraded: true, Status: "active"}}},
		{"rebuilding onto a new disk", `
md1 : active raid1 sdc2[2] sda2[0]
      2097088 blocks [2/1] [U_]
      [=>...................]  recovery =  8.5% (178368/2097088) finish=0.1min speed=178368K/sec`,
			[]Array{{Name: "md1", Level: "raid1", Devices: 2, Active: 1, Degraded: true, Status: "active, recovery 8.5%"}}},
		{"raid5 missing a member", `
md0 : active raid5 sdb[1] sdc[2] sde[4] sdf[5]
      4883151360 blocks super 1.2 level 5, 512k chunk, algorithm 2 [6/5] [UU_UUU]`,
			[]Array{{Name: "md0", Level: "raid5", Devices: 6, Active: 5, Degraded: true, Status: "active"}}},
		{"resync delayed", `
md3 : active raid1 sdb4[1] sda4[0]
      1000 blocks super 1.2 [2/2] [UU]
      	resync=DELAYED`,
			[]Array{{Name: "md3", Level: "raid1", Devices: 2, Active: 2, Status: "active, resync delayed"}}},
		{"read-only array", `
md127 : active (auto-read-only) raid1 sdb[1] sda[0]
      1000 blocks super 1.2 [2/2] [UU]`,
			[]Array{{Name: "md127", Level: "raid1", Devices: 2, Active: 2, Status: "active"}}},
		{"inactive array of spares", `
md127 : inactive sdb[1](S) sda[0](S)
      3906767024 blocks super 1.2`,
			[]Array{{Name: "md127", Devices: 0, Active: 0, Degraded: true, Status: "inactive"}}},
		{"raid0 without slot map", `
md2 : active raid0 sdb2[1] sda2[0]
      7812096 blocks 512k chunks`,
			[]Array{{Name: "md2", Level: "raid0", Devices: 2, Active: 2, Status: "active"}}},
		{"synology system mirror over 16 slots", `
md0 : active raid1 sata1p1[0] sata2p1[1]
      8388544 blocks [16/2] [UU______________]`,
			[]Array{{Name: "md0", Level: "raid1", Devices: 16, Active: 2, Status: "active"}}},
		{"synology system mirror with a failed disk", `
md0 : active raid1 sata1p1[0] sata2p1[1](F)
      8388544 blocks [16/1] [U_______________]`,
			[]Array{{Name: "md0", Level: "raid1", Devices: 16, Active: 1, Degraded: true, Status: "active"}}},
		{"spare does not count", `
md0 : active raid1 sdc1[2](S) sdb1[1] sda1[0]
      1000 blocks [2/2] [UU]`,
			[]Array{{Name: "md0", Level: "raid1", Devices: 2, Active: 2, Status: "active"}}},
		{"no arrays", "Personalities : \nunused devices: <none>", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := strings.Split(strings.TrimPrefix(tt.mdstat, "\n"), "\n")
			got := parseMdstat(append([]string{"Personalities : [raid1] [raid5]"}, lines...))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestArraySyncing(t *testing.T) {
	for status, want := range map[string]bool{
		"active": false, "active, check 42.1%": false, "active, resync 1.0%": true,
		"active, recovery 8.5%": true, "active, reshape 3.0%": true, "active, resync delayed": true,
	} {
		if got := (Array{Status: status}).Syncing(); got != want {
			t.Errorf("Syncing(%q) = %v, want %v", status, got, want)
		}
	}
}
