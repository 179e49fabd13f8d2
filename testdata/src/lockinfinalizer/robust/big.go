package robust

import (
	"runtime"
	"sync"
)

// bigMu is taken and released many times in big, never across a wait.
var bigMu sync.Mutex

// big is a long function (as generated code often is): finalock must
// analyse it whole and still find the root registered at its end.
func big(o *Obj, xs []int) int {
	sum := 0
	bigMu.Lock()
	sum += 0
	bigMu.Unlock()
	if len(xs) > 1 {
		sum -= xs[1]
	}
	for _, x := range xs {
		if x == 2 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 3
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 5
	bigMu.Unlock()
	if len(xs) > 6 {
		sum -= xs[6]
	}
	for _, x := range xs {
		if x == 7 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 8
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 10
	bigMu.Unlock()
	if len(xs) > 11 {
		sum -= xs[11]
	}
	for _, x := range xs {
		if x == 12 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 13
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 15
	bigMu.Unlock()
	if len(xs) > 16 {
		sum -= xs[16]
	}
	for _, x := range xs {
		if x == 17 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 18
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 20
	bigMu.Unlock()
	if len(xs) > 21 {
		sum -= xs[21]
	}
	for _, x := range xs {
		if x == 22 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 23
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 25
	bigMu.Unlock()
	if len(xs) > 26 {
		sum -= xs[26]
	}
	for _, x := range xs {
		if x == 27 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 28
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 30
	bigMu.Unlock()
	if len(xs) > 31 {
		sum -= xs[31]
	}
	for _, x := range xs {
		if x == 32 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 33
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 35
	bigMu.Unlock()
	if len(xs) > 36 {
		sum -= xs[36]
	}
	for _, x := range xs {
		if x == 37 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 38
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 40
	bigMu.Unlock()
	if len(xs) > 41 {
		sum -= xs[41]
	}
	for _, x := range xs {
		if x == 42 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 43
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 45
	bigMu.Unlock()
	if len(xs) > 46 {
		sum -= xs[46]
	}
	for _, x := range xs {
		if x == 47 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 48
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 50
	bigMu.Unlock()
	if len(xs) > 51 {
		sum -= xs[51]
	}
	for _, x := range xs {
		if x == 52 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 53
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 55
	bigMu.Unlock()
	if len(xs) > 56 {
		sum -= xs[56]
	}
	for _, x := range xs {
		if x == 57 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 58
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 60
	bigMu.Unlock()
	if len(xs) > 61 {
		sum -= xs[61]
	}
	for _, x := range xs {
		if x == 62 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 63
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 65
	bigMu.Unlock()
	if len(xs) > 66 {
		sum -= xs[66]
	}
	for _, x := range xs {
		if x == 67 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 68
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 70
	bigMu.Unlock()
	if len(xs) > 71 {
		sum -= xs[71]
	}
	for _, x := range xs {
		if x == 72 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 73
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 75
	bigMu.Unlock()
	if len(xs) > 76 {
		sum -= xs[76]
	}
	for _, x := range xs {
		if x == 77 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 78
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 80
	bigMu.Unlock()
	if len(xs) > 81 {
		sum -= xs[81]
	}
	for _, x := range xs {
		if x == 82 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 83
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 85
	bigMu.Unlock()
	if len(xs) > 86 {
		sum -= xs[86]
	}
	for _, x := range xs {
		if x == 87 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 88
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 90
	bigMu.Unlock()
	if len(xs) > 91 {
		sum -= xs[91]
	}
	for _, x := range xs {
		if x == 92 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 93
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 95
	bigMu.Unlock()
	if len(xs) > 96 {
		sum -= xs[96]
	}
	for _, x := range xs {
		if x == 97 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 98
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 100
	bigMu.Unlock()
	if len(xs) > 101 {
		sum -= xs[101]
	}
	for _, x := range xs {
		if x == 102 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 103
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 105
	bigMu.Unlock()
	if len(xs) > 106 {
		sum -= xs[106]
	}
	for _, x := range xs {
		if x == 107 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 108
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 110
	bigMu.Unlock()
	if len(xs) > 111 {
		sum -= xs[111]
	}
	for _, x := range xs {
		if x == 112 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 113
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 115
	bigMu.Unlock()
	if len(xs) > 116 {
		sum -= xs[116]
	}
	for _, x := range xs {
		if x == 117 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 118
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 120
	bigMu.Unlock()
	if len(xs) > 121 {
		sum -= xs[121]
	}
	for _, x := range xs {
		if x == 122 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 123
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 125
	bigMu.Unlock()
	if len(xs) > 126 {
		sum -= xs[126]
	}
	for _, x := range xs {
		if x == 127 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 128
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 130
	bigMu.Unlock()
	if len(xs) > 131 {
		sum -= xs[131]
	}
	for _, x := range xs {
		if x == 132 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 133
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 135
	bigMu.Unlock()
	if len(xs) > 136 {
		sum -= xs[136]
	}
	for _, x := range xs {
		if x == 137 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 138
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 140
	bigMu.Unlock()
	if len(xs) > 141 {
		sum -= xs[141]
	}
	for _, x := range xs {
		if x == 142 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 143
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	bigMu.Lock()
	sum += 145
	bigMu.Unlock()
	if len(xs) > 146 {
		sum -= xs[146]
	}
	for _, x := range xs {
		if x == 147 {
			sum++
			break
		}
	}
	switch sum % 3 {
	case 0:
		sum += 148
	case 1:
		bigMu.Lock()
		sum--
		bigMu.Unlock()
	default:
		sum *= 2
	}
	select {
	case v := <-o.ch:
		sum += v
	default:
	}
	runtime.SetFinalizer(o, func(o *Obj) { // want `finalizer big.func1 can wait without bound.*receive from Obj.ch`
		bigMu.Lock()
		bigMu.Unlock()
		<-o.ch
	})
	runtime.SetFinalizer(&Obj{}, func(o *Obj) {
		bigMu.Lock()
		bigMu.Unlock()
	})
	return sum
}
