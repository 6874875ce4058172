// Command produce-population-health-report is the Lambda function of the producePopulationHealthReport operation.
package main

import (
	"ohcs/shared/lambdahttp"
	"ohcs/shared/population/populationhttp"
)

func main() {
	lambdahttp.Main("producePopulationHealthReport", populationhttp.ProducePopulationHealthReport())
}
