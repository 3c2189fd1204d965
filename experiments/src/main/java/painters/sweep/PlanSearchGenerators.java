package painters.sweep;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.commons.math3.random.MersenneTwister;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.generator.GeneticSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.SinglePointCrossover;
import org.deeplearning4j.arbiter.optimize.generator.genetic.crossover.parentselection.RandomTwoParentSelection;
import org.deeplearning4j.arbiter.optimize.generator.genetic.mutation.RandomMutationOperator;
import org.deeplearning4j.arbiter.optimize.generator.genetic.population.PopulationModel;
import org.deeplearning4j.arbiter.optimize.generator.genetic.selection.GeneticSelectionOperator;

/**
 * Arbiter's generators over a plan search's genes ({@link GeneSpace}), every random source seeded so that a
 * resumed search, fed the same scores in the same order, proposes the same candidates: random search (the
 * baseline) or the genetic search (single-point crossover, random mutation, a population of the given size,
 * scores maximised).
 */
public final class PlanSearchGenerators {

    private PlanSearchGenerators() {}

    /** {@code genetic} or {@code random} over {@code genes} genes. */
    public static CandidateGenerator of(String generator, int genes, int population, long seed) {
        GeneSpace space = new GeneSpace(genes);
        if (generator.equals("random")) {
            RandomSearchGenerator r = new RandomSearchGenerator(space, null);
            r.setRngSeed(seed);
            return r;
        }
        int s = (int) seed;
        SinglePointCrossover cross = new SinglePointCrossover.Builder().randomGenerator(new MersenneTwister(s + 1))
                .parentSelection(new RandomTwoParentSelection(new MersenneTwister(s + 2))).build();
        RandomMutationOperator mutation = new RandomMutationOperator.Builder().randomGenerator(new MersenneTwister(s + 3))
                .build();
        PopulationModel pop = new PopulationModel.Builder().populationSize(population).build();
        GeneticSelectionOperator select = new GeneticSelectionOperator.Builder().crossoverOperator(cross)
                .mutationOperator(mutation).randomGenerator(new MersenneTwister(s + 4)).build();
        return new GeneticSearchCandidateGenerator.Builder(space, MAXIMIZE).populationModel(pop).selectionOperator(select)
                .build();
    }

    /**
     * The genetic search asks only whether scores are minimised; a study scores the plans itself (Arbiter's interface
     * still names its deprecated DataProvider).
     */
    @SuppressWarnings("deprecation")
    private static final ScoreFunction MAXIMIZE = new ScoreFunction() {
        @Override
        public double score(Object m, DataProvider d, Map<String, Object> p) {
            throw new UnsupportedOperationException("the study scores plans");
        }

        @Override
        public double score(Object m, Class<? extends DataSource> d,
                            Properties p) {
            throw new UnsupportedOperationException("the study scores plans");
        }

        @Override
        public boolean minimize() {
            return false;
        }

        @Override
        public List<Class<?>> getSupportedModelTypes() {
            return List.of();
        }

        @Override
        public List<Class<?>> getSupportedDataTypes() {
            return List.of();
        }
    };
}
