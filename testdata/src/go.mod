module heapspurs-testdata

go 1.19
